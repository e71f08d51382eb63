package dev.tickflow.ingestors.kraken;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.MarketDirectory;
import dev.tickflow.ingestors.exchange.Ohlcv;
import dev.tickflow.ingestors.exchange.RequestBudget;
import dev.tickflow.ingestors.exchange.StreamProtocol;
import dev.tickflow.ingestors.exchange.VenueHttp;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Kraken spot over its public REST API: pairs from {@code /0/public/AssetPairs}, trades from
 * {@code /0/public/Trades} (paged by a nanosecond {@code since} cursor; trade ids consecutive per pair), candles
 * from {@code /0/public/OHLC}. Kraken reports errors in an {@code error} array even with HTTP 200; they become
 * exceptions here. Public calls are kept to about one per second, as Kraken asks.
 */
public final class KrakenExchange implements Exchange {

  public static final URI DEFAULT_BASE_URL = URI.create("https://api.kraken.com");
  public static final URI DEFAULT_WS_URL = URI.create("wss://ws.kraken.com/v2");
  public static final String FORMAT = "kraken-rest-trades";
  static final int MAX_COUNT = 1000;

  private final VenueHttp http;
  private final int maxMarketsPerConnection;
  private final MarketDirectory markets = new MarketDirectory("KRAKEN", Market::symbol); // v2 names unified symbols

  public KrakenExchange(URI baseUrl, Duration maxRetryWait) {
    this(baseUrl, maxRetryWait, new RequestBudget(1, Duration.ofSeconds(1)), KrakenProtocol.MAX_MARKETS_PER_CONNECTION);
  }

  public KrakenExchange(URI baseUrl, Duration maxRetryWait, RequestBudget budget, int maxMarketsPerConnection) {
    this.http = new VenueHttp(baseUrl, maxRetryWait, budget, null);
    this.maxMarketsPerConnection = maxMarketsPerConnection;
  }

  @Override
  public String id() {
    return "KRAKEN";
  }

  @Override
  public Map<String, Market> loadMarkets() throws ExchangeException {
    JsonNode pairs = result(http.get("/0/public/AssetPairs", Map.of()), "AssetPairs");
    Map<String, Market> all = new LinkedHashMap<>();
    for (var it = pairs.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode p = e.getValue();
      String wsname = p.path("wsname").asText("");
      String symbol = KrakenAssets.unifiedSymbol(wsname);
      if (symbol == null) {
        continue; // dark-pool and index pairs have no websocket name; tickflow cannot stream them
      }
      String[] bq = symbol.split("/", 2);
      BigDecimal tick = p.hasNonNull("tick_size") ? new BigDecimal(p.get("tick_size").asText())
          : BigDecimal.ONE.movePointLeft(p.path("pair_decimals").asInt(8));
      BigDecimal step = BigDecimal.ONE.movePointLeft(p.path("lot_decimals").asInt(8));
      all.put(symbol, new Market(symbol, e.getKey(), bq[0], bq[1], tick.stripTrailingZeros(), step,
          "online".equals(p.path("status").asText("online"))));
    }
    return markets.publish(all);
  }

  @Override
  public Market market(String symbol) throws ExchangeException {
    return markets.market(symbol, this::loadMarkets);
  }

  @Override
  public List<RawTrade> fetchTrades(String symbol, Instant since, int limit) throws ExchangeException {
    Market m = market(symbol);
    List<RawTrade> out = new ArrayList<>();
    for (RawTrade t : page(m, nanos(since), Math.min(limit, MAX_COUNT)).trades()) {
      if (out.size() < limit && !t.getEventTime().isBefore(since)) {
        out.add(t);
      }
    }
    return out;
  }

  @Override
  public long fetchTradesBetween(String symbol, Instant from, Instant until, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    String cursor = nanos(from);
    long handed = 0;
    long lastId = -1;
    while (true) {
      Page page = page(m, cursor, MAX_COUNT);
      boolean progressed = false;
      for (RawTrade t : page.trades()) {
        long id = Long.parseLong(t.getTradeId());
        if (id <= lastId || t.getEventTime().isBefore(from)) {
          continue; // the cursor is a time; the page may start with trades already handed on
        }
        if (!t.getEventTime().isBefore(until)) {
          return handed;
        }
        sink.accept(t);
        handed++;
        lastId = id;
        progressed = true;
      }
      if (!progressed || page.last().equals(cursor)) {
        return handed;
      }
      cursor = page.last();
    }
  }

  /** Kraken pages by time, so the repair starts at the last trade seen before the gap and keeps the missing ids. */
  @Override
  public long fetchTradesByIds(String symbol, long fromId, long toId, Instant after, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    String cursor = nanos(after == null ? Instant.EPOCH : after.minusMillis(1));
    long next = fromId;
    long handed = 0;
    while (next <= toId) {
      Page page = page(m, cursor, MAX_COUNT);
      boolean progressed = false;
      for (RawTrade t : page.trades()) {
        long id = Long.parseLong(t.getTradeId());
        if (id > toId) {
          return handed;
        }
        if (id >= next) {
          sink.accept(t);
          handed++;
          next = id + 1;
        }
        progressed = true;
      }
      if (!progressed || page.last().equals(cursor)) {
        break;
      }
      cursor = page.last();
    }
    return handed;
  }

  /** Kraken returns at most the 720 newest candles of an interval, whatever {@code since} says. */
  @Override
  public List<Ohlcv> fetchOHLCV(String symbol, Timeframe timeframe, Instant since, int limit)
      throws ExchangeException {
    Market m = market(symbol);
    JsonNode result = result(http.get("/0/public/OHLC", Map.of("pair", m.id(),
        "interval", Long.toString(timeframe.millis() / 60_000), "since", Long.toString(since.getEpochSecond() - 1))),
        "OHLC");
    JsonNode rows = pairRows(result, m);
    List<Ohlcv> candles = new ArrayList<>();
    for (JsonNode r : rows) {
      // [time, open, high, low, close, vwap, volume, count]
      if (!r.isArray() || r.size() < 8) {
        throw new ExchangeException("OHLC row is not [time, open, high, low, close, vwap, volume, count]: " + r);
      }
      Instant open = Instant.ofEpochSecond(r.get(0).asLong());
      if (open.isBefore(since) || candles.size() >= limit) {
        continue;
      }
      candles.add(new Ohlcv(open, new BigDecimal(r.get(1).asText()), new BigDecimal(r.get(2).asText()),
          new BigDecimal(r.get(3).asText()), new BigDecimal(r.get(4).asText()), new BigDecimal(r.get(6).asText()),
          r.get(7).asLong()));
    }
    return candles;
  }

  @Override
  public StreamProtocol streamProtocol() {
    return new KrakenProtocol(markets::byStreamKey, maxMarketsPerConnection);
  }

  @Override
  public URI defaultStreamUrl() {
    return DEFAULT_WS_URL;
  }

  private record Page(List<RawTrade> trades, String last) {}

  private Page page(Market m, String since, int count) throws ExchangeException {
    JsonNode result = result(http.get("/0/public/Trades", Map.of("pair", m.id(), "since", since,
        "count", Integer.toString(count))), "Trades");
    JsonNode rows = pairRows(result, m);
    Instant now = Instant.now();
    List<RawTrade> trades = new ArrayList<>(rows.size());
    for (JsonNode r : rows) {
      trades.add(toRawTrade(m, r, now));
    }
    return new Page(trades, result.path("last").asText(since));
  }

  /** A REST trade row {@code [price, volume, time, side, ordertype, misc, trade_id]}; info keeps them by name. */
  static RawTrade toRawTrade(Market m, JsonNode r, Instant ingestTime) throws ExchangeException {
    if (!r.isArray() || r.size() < 7) {
      throw new ExchangeException("trade row is not [price, volume, time, side, ordertype, misc, trade_id]: " + r);
    }
    Side side = switch (r.get(3).asText()) {
      case "b" -> Side.BUY;
      case "s" -> Side.SELL;
      default -> throw new ExchangeException("trade side '" + r.get(3).asText() + "' is not b or s: " + r);
    };
    String seconds = r.get(2).isNumber() ? r.get(2).decimalValue().toPlainString() : r.get(2).asText();
    Instant time;
    try {
      time = Instant.ofEpochMilli(new BigDecimal(seconds).movePointRight(3).toBigInteger().longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ExchangeException("trade time '" + seconds + "' is not epoch seconds: " + r);
    }
    if (!r.get(6).isIntegralNumber()) {
      throw new ExchangeException("trade id " + r.get(6) + " is not an integer: " + r);
    }
    Map<String, String> info = new LinkedHashMap<>();
    String[] names = {"price", "volume", "time", "side", "ordertype", "misc", "trade_id"};
    for (int i = 0; i < names.length; i++) {
      info.put(names[i], r.get(i).isNumber() ? numberText(r.get(i)) : r.get(i).asText());
    }
    return RawTrade.newBuilder()
        .setExchange("KRAKEN").setSymbol(m.symbol()).setVenueSymbol(m.id())
        .setTradeId(r.get(6).asText()).setPrice(r.get(0).asText()).setAmount(r.get(1).asText()).setSide(side)
        .setEventTime(time).setIngestTime(ingestTime).setFormat(FORMAT).setInfo(info)
        .build();
  }

  private static String numberText(JsonNode n) {
    return n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.decimalValue().toPlainString();
  }

  private static JsonNode pairRows(JsonNode result, Market m) throws ExchangeException {
    JsonNode rows = result.get(m.id());
    if (rows == null) {
      // Kraken keys the answer by its own pair name, which may differ from the one asked with
      for (var it = result.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getKey().equals("last") && e.getValue().isArray()) {
          rows = e.getValue();
        }
      }
    }
    if (rows == null || !rows.isArray()) {
      throw new ExchangeException("Kraken's answer has no rows for " + m.id() + ": " + result);
    }
    return rows;
  }

  private static JsonNode result(JsonNode body, String call) throws ExchangeException {
    JsonNode errors = body.path("error");
    if (errors.isArray() && !errors.isEmpty()) {
      throw new ExchangeException("Kraken " + call + " answered errors " + errors);
    }
    if (!body.has("result")) {
      throw new ExchangeException("Kraken " + call + " answered without a result: " + body);
    }
    return body.get("result");
  }

  /** Kraken's since cursor: nanoseconds since the epoch. */
  static String nanos(Instant t) {
    return BigInteger.valueOf(t.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
        .add(BigInteger.valueOf(t.getNano())).toString();
  }
}
