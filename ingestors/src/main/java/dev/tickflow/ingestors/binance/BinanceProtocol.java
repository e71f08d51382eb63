package dev.tickflow.ingestors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.StreamMessage;
import dev.tickflow.ingestors.exchange.StreamProtocol;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Quote;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Binance spot's websocket dialect. Streams are named in the combined-stream URL
 * ({@code /stream?streams=xrpeth@aggTrade/xrpeth@bookTicker}), so every reconnect subscribes again by
 * construction and no SUBSCRIBE frame is sent. Binance allows 1024 streams per connection.
 *
 * <p>{@code bookTicker} updates carry no time; their event time is the time tickflow received them, and their
 * info says so ({@code timeSource=ingest}).
 */
public final class BinanceProtocol implements StreamProtocol {

  public static final int MAX_STREAMS_PER_CONNECTION = 1024;
  public static final String FORMAT = "binance-ws";

  private final Function<String, Market> marketsById;
  private final int maxStreams;

  BinanceProtocol(Function<String, Market> marketsById, int maxStreams) {
    this.marketsById = marketsById;
    this.maxStreams = maxStreams;
  }

  @Override
  public URI uri(URI baseUrl, List<Market> markets, Set<Channel> channels) {
    StringBuilder streams = new StringBuilder();
    for (Market m : markets) {
      String id = m.id().toLowerCase(Locale.ROOT);
      if (channels.contains(Channel.TRADES)) {
        streams.append(streams.length() == 0 ? "" : "/").append(id).append("@aggTrade");
      }
      if (channels.contains(Channel.QUOTES)) {
        streams.append(streams.length() == 0 ? "" : "/").append(id).append("@bookTicker");
      }
    }
    return baseUrl.resolve("/stream?streams=" + streams);
  }

  @Override
  public List<String> subscriptions(List<Market> markets, Set<Channel> channels) {
    return List.of();
  }

  @Override
  public int maxMarketsPerConnection(Set<Channel> channels) {
    return Math.max(1, maxStreams / channels.size());
  }

  @Override
  public StreamMessage read(String text, Instant ingestTime) {
    JsonNode message = VenueJson.parse(text);
    if (message == null || !message.isObject()) {
      return new StreamMessage.Malformed(message == null ? VenueJson.whyNotJson(text) : "not a JSON object");
    }
    if (message.has("result") || message.has("id") && !message.has("data")) {
      return new StreamMessage.Control("response " + text);
    }
    if (message.has("code") && message.has("msg")) {
      return new StreamMessage.VenueError(message.get("code") + " " + message.get("msg").asText());
    }
    JsonNode event = message.has("data") ? message.get("data") : message;
    String venueId = event.path("s").asText("").toUpperCase(Locale.ROOT);
    Market market = venueId.isEmpty() ? null : marketsById.apply(venueId);
    if (market == null) {
      return new StreamMessage.Malformed(venueId.isEmpty() ? "message names no market ('s')"
          : "market " + venueId + " is not one of Binance's");
    }
    Ticker ticker = Ticker.of("BINANCE", market.base(), market.quote());
    if (!event.has("e") && event.has("u") && event.has("b") && event.has("a")) {
      return bookTicker(event, market, ingestTime);
    }
    ReadResult r = BinanceStreamMessages.readEvent(event, ticker, text, 0, ingestTime, FORMAT);
    if (r instanceof ReadResult.Parsed p) {
      return new StreamMessage.Trades(List.of(p.trade()));
    }
    if (r instanceof ReadResult.Malformed m) {
      return new StreamMessage.Malformed(m.reason());
    }
    return new StreamMessage.Control(((ReadResult.Ignored) r).what());
  }

  private static StreamMessage bookTicker(JsonNode e, Market m, Instant ingestTime) {
    try {
      Map<String, String> info = VenueJson.fields(e);
      info.put("timeSource", "ingest");
      return new StreamMessage.Quotes(List.of(Quote.newBuilder()
          .setExchange("BINANCE").setBase(m.base()).setQuote(m.quote())
          .setBidPrice(Decimals.parse(VenueJson.number(e, "b")))
          .setBidAmount(Decimals.parse(VenueJson.number(e, "B")))
          .setAskPrice(Decimals.parse(VenueJson.number(e, "a")))
          .setAskAmount(Decimals.parse(VenueJson.number(e, "A")))
          .setEventTime(ingestTime).setIngestTime(ingestTime).setInfo(info)
          .build()));
    } catch (NumberFormatException bad) {
      return new StreamMessage.Malformed("bookTicker: " + bad.getMessage());
    }
  }
}
