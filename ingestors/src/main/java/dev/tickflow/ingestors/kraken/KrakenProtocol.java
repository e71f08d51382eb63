package dev.tickflow.ingestors.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.StreamMessage;
import dev.tickflow.ingestors.exchange.StreamProtocol;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Kraken's v2 websocket: a {@code subscribe} request per channel ({@code trade}, and {@code ticker} with
 * {@code event_trigger=bbo} for best bid/ask changes), sent again after every reconnect. The trade channel opens
 * with a snapshot of recent trades, so a reconnect overlaps what was seen and the gap check finds anything
 * missed. v2 prices and quantities are JSON numbers; they are read as exact decimals from their text. Symbols are
 * already unified ({@code BTC/USD}).
 */
public final class KrakenProtocol implements StreamProtocol {

  public static final int MAX_MARKETS_PER_CONNECTION = 100;
  public static final String FORMAT = "kraken-ws-v2";

  private final Function<String, Market> marketsBySymbol;
  private final int maxMarkets;

  KrakenProtocol(Function<String, Market> marketsBySymbol, int maxMarkets) {
    this.marketsBySymbol = marketsBySymbol;
    this.maxMarkets = maxMarkets;
  }

  @Override
  public URI uri(URI baseUrl, List<Market> markets, Set<Channel> channels) {
    return baseUrl;
  }

  @Override
  public List<String> subscriptions(List<Market> markets, Set<Channel> channels) {
    List<String> out = new ArrayList<>();
    if (channels.contains(Channel.TRADES)) {
      out.add(subscribe("trade", markets, null));
    }
    if (channels.contains(Channel.QUOTES)) {
      out.add(subscribe("ticker", markets, "bbo"));
    }
    return out;
  }

  private static String subscribe(String channel, List<Market> markets, String trigger) {
    ObjectNode msg = VenueJson.MAPPER.createObjectNode();
    msg.put("method", "subscribe");
    ObjectNode params = msg.putObject("params");
    params.put("channel", channel);
    ArrayNode symbols = params.putArray("symbol");
    markets.forEach(m -> symbols.add(m.symbol()));
    if (trigger != null) {
      params.put("event_trigger", trigger);
    }
    return msg.toString();
  }

  @Override
  public int maxMarketsPerConnection(Set<Channel> channels) {
    return maxMarkets;
  }

  @Override
  public StreamMessage read(String text, Instant ingestTime) {
    JsonNode m = VenueJson.parse(text);
    if (m == null || !m.isObject()) {
      return new StreamMessage.Malformed(m == null ? VenueJson.whyNotJson(text) : "not a JSON object");
    }
    if (m.has("method")) {
      return m.path("success").asBoolean(true) ? new StreamMessage.Control(m.get("method").asText() + " ack")
          : new StreamMessage.VenueError(m.path("error").asText("request failed"));
    }
    String channel = m.path("channel").asText("");
    if (!channel.equals("trade") && !channel.equals("ticker")) {
      return new StreamMessage.Control(channel.isEmpty() ? "message without a channel" : channel);
    }
    JsonNode data = m.get("data");
    if (data == null || !data.isArray()) {
      return new StreamMessage.Malformed(channel + " message without a data array");
    }
    return channel.equals("trade") ? trades(data, ingestTime) : tickers(data, ingestTime);
  }

  private StreamMessage trades(JsonNode data, Instant ingestTime) {
    List<RawTrade> trades = new ArrayList<>();
    for (JsonNode t : data) {
      String symbol = t.path("symbol").asText("");
      Market market = marketsBySymbol.apply(symbol);
      if (market == null) {
        return new StreamMessage.Malformed("trade of '" + symbol + "', which is not one of Kraken's pairs");
      }
      String price = VenueJson.number(t, "price");
      String qty = VenueJson.number(t, "qty");
      Instant time = VenueJson.isoTime(t, "timestamp");
      JsonNode id = t.get("trade_id");
      Side side = switch (t.path("side").asText("")) {
        case "buy" -> Side.BUY;
        case "sell" -> Side.SELL;
        default -> null;
      };
      if (price == null || qty == null || time == null || side == null || id == null || !id.isIntegralNumber()) {
        return new StreamMessage.Malformed("trade without a readable price, qty, timestamp, side or trade_id: " + t);
      }
      trades.add(RawTrade.newBuilder()
          .setExchange("KRAKEN").setSymbol(market.symbol()).setVenueSymbol(symbol)
          .setTradeId(id.asText()).setPrice(price).setAmount(qty).setSide(side)
          .setEventTime(Instant.ofEpochMilli(time.toEpochMilli())).setIngestTime(ingestTime)
          .setFormat(FORMAT).setInfo(VenueJson.fields(t))
          .build());
    }
    return new StreamMessage.Trades(trades);
  }

  private StreamMessage tickers(JsonNode data, Instant ingestTime) {
    List<Quote> quotes = new ArrayList<>();
    for (JsonNode t : data) {
      String symbol = t.path("symbol").asText("");
      Market market = marketsBySymbol.apply(symbol);
      if (market == null) {
        return new StreamMessage.Malformed("ticker of '" + symbol + "', which is not one of Kraken's pairs");
      }
      Instant time = VenueJson.isoTime(t, "timestamp");
      try {
        quotes.add(Quote.newBuilder()
            .setExchange("KRAKEN").setBase(market.base()).setQuote(market.quote())
            .setBidPrice(Decimals.parse(VenueJson.number(t, "bid")))
            .setBidAmount(Decimals.parse(VenueJson.number(t, "bid_qty")))
            .setAskPrice(Decimals.parse(VenueJson.number(t, "ask")))
            .setAskAmount(Decimals.parse(VenueJson.number(t, "ask_qty")))
            .setEventTime(time == null ? ingestTime : Instant.ofEpochMilli(time.toEpochMilli()))
            .setIngestTime(ingestTime).setInfo(VenueJson.fields(t))
            .build());
      } catch (NumberFormatException e) {
        return new StreamMessage.Malformed("ticker: " + e.getMessage());
      }
    }
    return new StreamMessage.Quotes(quotes);
  }
}
