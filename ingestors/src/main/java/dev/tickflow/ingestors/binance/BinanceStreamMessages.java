package dev.tickflow.ingestors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.time.Instant;
import java.util.Locale;

/**
 * Binance spot websocket messages, the parser the live adapter and the {@value #FORMAT} replay share: {@code trade}
 * and {@code aggTrade} events, raw ({@code {"e":"trade",...}}) or wrapped by a combined stream
 * ({@code {"stream":"xrpeth@trade","data":{...}}}). Subscription acknowledgements and other events are ignored;
 * anything unreadable is malformed, with the reason.
 */
public final class BinanceStreamMessages implements TradeFormat {

  public static final String FORMAT = "binance-ws-jsonl";

  private final Ticker ticker;

  /** Messages of one market; a message for another symbol is malformed for this reader. */
  public BinanceStreamMessages(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public String name() {
    return FORMAT;
  }

  @Override
  public ReadResult read(String line, long position, Instant ingestTime) {
    JsonNode message = VenueJson.parse(line);
    if (message == null || !message.isObject()) {
      return new ReadResult.Malformed(position, line, message == null ? VenueJson.whyNotJson(line) : "not a JSON object");
    }
    JsonNode event = message.has("data") ? message.get("data") : message;
    return readEvent(event, ticker, line, position, ingestTime, FORMAT);
  }

  /**
   * Reads one {@code trade} or {@code aggTrade} event object of {@code ticker}'s market, as the replay reader and
   * the live protocol both need it.
   */
  static ReadResult readEvent(JsonNode event, Ticker ticker, String line, long position, Instant ingestTime,
      String format) {
    String venueSymbol = ticker.base() + ticker.quote();
    String type = event.path("e").asText("");
    if (!type.equals("trade") && !type.equals("aggTrade")) {
      return new ReadResult.Ignored(position, type.isEmpty() ? "message without an event type" : type + " event");
    }
    String idField = type.equals("trade") ? "t" : "a";
    for (String field : new String[] {"s", idField, "p", "q", "T", "m"}) {
      if (!event.hasNonNull(field)) {
        return new ReadResult.Malformed(position, line, type + " event without '" + field + "'");
      }
    }
    if (!event.get("s").asText().equalsIgnoreCase(venueSymbol)) {
      return new ReadResult.Malformed(position, line,
          "symbol " + event.get("s").asText() + " is not " + venueSymbol + " (" + ticker + ")");
    }
    if (!event.get(idField).isIntegralNumber() || event.get(idField).asLong() < 0) {
      return new ReadResult.Malformed(position, line, "trade id '" + event.get(idField) + "' is not a non-negative integer");
    }
    Instant time = BinanceTimes.parse(event.get("T").asText());
    if (time == null) {
      return new ReadResult.Malformed(position, line, "trade time '" + event.get("T") + "' is not epoch milliseconds");
    }
    Side side = takerSide(event.get("m").asText());
    if (side == null) {
      return new ReadResult.Malformed(position, line, "'m' is not a boolean: " + event.get("m"));
    }
    return new ReadResult.Parsed(RawTrade.newBuilder()
        .setExchange(ticker.exchange())
        .setSymbol(ticker.symbol())
        .setVenueSymbol(event.get("s").asText())
        .setTradeId(event.get(idField).asText())
        .setPrice(VenueJson.number(event, "p"))
        .setAmount(VenueJson.number(event, "q"))
        .setSide(side)
        .setEventTime(time)
        .setIngestTime(ingestTime)
        .setFormat(format)
        .setInfo(VenueJson.fields(event))
        .build());
  }

  /** Binance's "buyer is maker" as the taker's side: a resting buyer means the taker sold. Null if unreadable. */
  static Side takerSide(String isBuyerMaker) {
    return switch (isBuyerMaker.toLowerCase(Locale.ROOT)) {
      case "true" -> Side.SELL;
      case "false" -> Side.BUY;
      default -> null;
    };
  }
}
