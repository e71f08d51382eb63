package dev.tickflow.ingestors.coinbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.StreamMessage;
import dev.tickflow.ingestors.exchange.StreamProtocol;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Quote;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Coinbase Exchange's websocket feed: one {@code subscribe} message per connection naming the products and the
 * {@code matches} (trades), {@code ticker} (best bid/ask) and {@code heartbeat} channels. Subscriptions live on
 * the connection, so {@link dev.tickflow.ingestors.exchange.LiveFeed} sends the message again after every
 * reconnect. After subscribing Coinbase sends each product's {@code last_match}, which lets a reconnect find the
 * trades it missed. Coinbase documents no hard product limit per connection; tickflow puts at most
 * {@value #MAX_MARKETS_PER_CONNECTION} on one, so one slow connection cannot hold every market back.
 */
public final class CoinbaseProtocol implements StreamProtocol {

  public static final int MAX_MARKETS_PER_CONNECTION = 100;
  public static final String FORMAT = "coinbase-ws";

  private final Function<String, Market> marketsById;
  private final int maxMarkets;

  CoinbaseProtocol(Function<String, Market> marketsById, int maxMarkets) {
    this.marketsById = marketsById;
    this.maxMarkets = maxMarkets;
  }

  @Override
  public URI uri(URI baseUrl, List<Market> markets, Set<Channel> channels) {
    return baseUrl;
  }

  @Override
  public List<String> subscriptions(List<Market> markets, Set<Channel> channels) {
    ObjectNode msg = VenueJson.MAPPER.createObjectNode();
    msg.put("type", "subscribe");
    ArrayNode ids = msg.putArray("product_ids");
    markets.forEach(m -> ids.add(m.id()));
    ArrayNode names = msg.putArray("channels");
    if (channels.contains(Channel.TRADES)) {
      names.add("matches");
    }
    if (channels.contains(Channel.QUOTES)) {
      names.add("ticker");
    }
    names.add("heartbeat");
    return List.of(msg.toString());
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
    String type = m.path("type").asText("");
    switch (type) {
      case "subscriptions", "heartbeat" -> {
        return new StreamMessage.Control(type);
      }
      case "error" -> {
        return new StreamMessage.VenueError(m.path("message").asText() + " " + m.path("reason").asText(""));
      }
      case "match", "last_match", "ticker" -> { }
      default -> {
        return new StreamMessage.Control(type.isEmpty() ? "message without a type" : type + " message");
      }
    }
    String productId = m.path("product_id").asText("");
    Market market = marketsById.apply(productId);
    if (market == null) {
      return new StreamMessage.Malformed("product '" + productId + "' is not one of Coinbase's");
    }
    if (type.equals("ticker")) {
      return ticker(m, market, ingestTime);
    }
    try {
      return new StreamMessage.Trades(List.of(CoinbaseExchange.toRawTrade(market, m, ingestTime, FORMAT)));
    } catch (ExchangeException e) {
      return new StreamMessage.Malformed(type + ": " + e.getMessage());
    }
  }

  private static StreamMessage ticker(JsonNode m, Market market, Instant ingestTime) {
    Instant time = VenueJson.isoTime(m, "time");
    try {
      return new StreamMessage.Quotes(List.of(Quote.newBuilder()
          .setExchange("COINBASE").setBase(market.base()).setQuote(market.quote())
          .setBidPrice(Decimals.parse(VenueJson.number(m, "best_bid")))
          .setBidAmount(Decimals.parse(VenueJson.number(m, "best_bid_size")))
          .setAskPrice(Decimals.parse(VenueJson.number(m, "best_ask")))
          .setAskAmount(Decimals.parse(VenueJson.number(m, "best_ask_size")))
          .setEventTime(time == null ? ingestTime : Instant.ofEpochMilli(time.toEpochMilli()))
          .setIngestTime(ingestTime).setInfo(VenueJson.fields(m))
          .build()));
    } catch (NumberFormatException e) {
      return new StreamMessage.Malformed("ticker: " + e.getMessage());
    }
  }
}
