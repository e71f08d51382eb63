package dev.tickflow.ingestors.binance;

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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Binance spot over its public REST API: markets from {@code /api/v3/exchangeInfo}, trades from
 * {@code /api/v3/aggTrades} (aggregate trades: one per taker order and price, ids consecutive), candles from
 * {@code /api/v3/klines}. Calls are paced by Binance's request-weight budget (6000 per minute per IP; each
 * endpoint's weight below), corrected by the weight Binance reports in {@code X-MBX-USED-WEIGHT-1M}. The base URL
 * is configurable so tests and mirrors can stand in for {@value #DEFAULT_BASE_URL}.
 */
public final class BinanceExchange implements Exchange {

  public static final String DEFAULT_BASE_URL = "https://api.binance.com";
  public static final URI DEFAULT_WS_URL = URI.create("wss://stream.binance.com:9443");
  /** Binance's REQUEST_WEIGHT limit per minute and the weights of the endpoints tickflow calls. */
  public static final int WEIGHT_PER_MINUTE = 6000;
  static final int WEIGHT_EXCHANGE_INFO = 20;
  static final int WEIGHT_AGG_TRADES = 4;
  static final int WEIGHT_KLINES = 2;
  public static final String FORMAT = "binance-rest-aggtrades";
  /** Binance's largest page, and its largest startTime..endTime window for aggTrades (less than an hour). */
  static final int MAX_LIMIT = 1000;
  static final long MAX_WINDOW_MILLIS = Duration.ofHours(1).toMillis() - 1;

  private final VenueHttp http;
  private final int maxStreamsPerConnection;
  private final MarketDirectory markets = new MarketDirectory("BINANCE", m -> m.id().toUpperCase(Locale.ROOT));

  public BinanceExchange(URI baseUrl, Duration maxRetryWait) {
    this(baseUrl, maxRetryWait, new RequestBudget(WEIGHT_PER_MINUTE, Duration.ofMinutes(1)),
        BinanceProtocol.MAX_STREAMS_PER_CONNECTION);
  }

  public BinanceExchange(URI baseUrl, Duration maxRetryWait, RequestBudget budget, int maxStreamsPerConnection) {
    this.http = new VenueHttp(baseUrl, maxRetryWait, budget, "X-MBX-USED-WEIGHT-1M");
    this.maxStreamsPerConnection = maxStreamsPerConnection;
  }

  public RequestBudget budget() {
    return http.budget();
  }

  @Override
  public String id() {
    return "BINANCE";
  }

  @Override
  public Map<String, Market> loadMarkets() throws ExchangeException {
    JsonNode info = http.get("/api/v3/exchangeInfo", Map.of(), WEIGHT_EXCHANGE_INFO);
    Map<String, Market> bySymbol = new LinkedHashMap<>();
    for (JsonNode s : required(info, "symbols", "exchangeInfo")) {
      String base = text(s, "baseAsset");
      String quote = text(s, "quoteAsset");
      BigDecimal tick = null;
      BigDecimal step = null;
      for (JsonNode f : s.path("filters")) {
        switch (f.path("filterType").asText()) {
          case "PRICE_FILTER" -> tick = new BigDecimal(text(f, "tickSize")).stripTrailingZeros();
          case "LOT_SIZE" -> step = new BigDecimal(text(f, "stepSize")).stripTrailingZeros();
          default -> { }
        }
      }
      Market m = new Market(base + "/" + quote, text(s, "symbol"), base, quote, tick, step,
          "TRADING".equals(s.path("status").asText()));
      bySymbol.put(m.symbol(), m);
    }
    return markets.publish(bySymbol);
  }

  @Override
  public Market market(String symbol) throws ExchangeException {
    return markets.market(symbol, this::loadMarkets);
  }

  @Override
  public StreamProtocol streamProtocol() {
    return new BinanceProtocol(markets::byStreamKey, maxStreamsPerConnection);
  }

  @Override
  public URI defaultStreamUrl() {
    return DEFAULT_WS_URL;
  }

  /** Binance's kline intervals are tickflow's timeframe labels. */
  @Override
  public List<Ohlcv> fetchOHLCV(String symbol, Timeframe timeframe, Instant since, int limit)
      throws ExchangeException {
    Market m = market(symbol);
    JsonNode rows = http.get("/api/v3/klines", Map.of("symbol", m.id(), "interval", timeframe.label(),
        "startTime", Long.toString(since.toEpochMilli()), "limit", Integer.toString(Math.min(limit, MAX_LIMIT))),
        WEIGHT_KLINES);
    if (!rows.isArray()) {
      throw new ExchangeException("GET /api/v3/klines answered " + rows.getNodeType() + ", not a list of klines");
    }
    List<Ohlcv> candles = new ArrayList<>(rows.size());
    for (JsonNode r : rows) {
      if (!r.isArray() || r.size() < 9) {
        throw new ExchangeException("kline is not [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...]: " + r);
      }
      try {
        candles.add(new Ohlcv(Instant.ofEpochMilli(r.get(0).asLong()), new BigDecimal(r.get(1).asText()),
            new BigDecimal(r.get(2).asText()), new BigDecimal(r.get(3).asText()), new BigDecimal(r.get(4).asText()),
            new BigDecimal(r.get(5).asText()), r.get(8).asLong()));
      } catch (NumberFormatException e) {
        throw new ExchangeException("kline with a number that is not one: " + r, e);
      }
    }
    return candles;
  }

  @Override
  public List<RawTrade> fetchTrades(String symbol, Instant since, int limit) throws ExchangeException {
    Market m = market(symbol);
    long from = since.toEpochMilli();
    return page(m, Map.of("startTime", Long.toString(from), "endTime", Long.toString(from + MAX_WINDOW_MILLIS),
        "limit", Integer.toString(Math.min(limit, MAX_LIMIT))));
  }

  @Override
  public long fetchTradesBetween(String symbol, Instant from, Instant until, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    long end = until.toEpochMilli();
    long windowStart = from.toEpochMilli();
    long handed = 0;
    Long nextId = null;
    while (windowStart < end) {
      List<RawTrade> trades;
      if (nextId == null) {
        // Until the first trade is found, walk forward in windows Binance accepts (under an hour each).
        long windowEnd = Math.min(windowStart + MAX_WINDOW_MILLIS, end - 1);
        trades = page(m, Map.of("startTime", Long.toString(windowStart), "endTime", Long.toString(windowEnd),
            "limit", Integer.toString(MAX_LIMIT)));
        if (trades.isEmpty()) {
          windowStart = windowEnd + 1;
          continue;
        }
      } else {
        // Then follow the ids: consecutive on Binance, so nothing between two pages can be missed.
        trades = page(m, Map.of("fromId", Long.toString(nextId), "limit", Integer.toString(MAX_LIMIT)));
        if (trades.isEmpty()) {
          break;
        }
      }
      for (RawTrade t : trades) {
        if (t.getEventTime().toEpochMilli() >= end) {
          return handed;
        }
        sink.accept(t);
        handed++;
      }
      nextId = Long.parseLong(trades.get(trades.size() - 1).getTradeId()) + 1;
    }
    return handed;
  }

  /** Binance pages aggregate trades by id ({@code fromId}), so {@code after} is not needed. */
  @Override
  public long fetchTradesByIds(String symbol, long fromId, long toId, Instant after, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    long next = fromId;
    long handed = 0;
    while (next <= toId) {
      List<RawTrade> trades = page(m, Map.of("fromId", Long.toString(next),
          "limit", Long.toString(Math.min(MAX_LIMIT, toId - next + 1))));
      if (trades.isEmpty()) {
        break;
      }
      for (RawTrade t : trades) {
        long id = Long.parseLong(t.getTradeId());
        if (id > toId) {
          return handed;
        }
        sink.accept(t);
        handed++;
        next = id + 1;
      }
    }
    return handed;
  }

  private List<RawTrade> page(Market m, Map<String, String> params) throws ExchangeException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("symbol", m.id());
    query.putAll(params);
    JsonNode page = http.get("/api/v3/aggTrades", query, WEIGHT_AGG_TRADES);
    if (!page.isArray()) {
      throw new ExchangeException("GET /api/v3/aggTrades answered " + page.getNodeType() + ", not a list of trades");
    }
    Instant now = Instant.now();
    List<RawTrade> trades = new ArrayList<>(page.size());
    for (JsonNode t : page) {
      trades.add(toRawTrade(m, t, now));
    }
    return trades;
  }

  /** A Binance aggregate trade as a raw trade; its fields are kept verbatim under their Binance names. */
  static RawTrade toRawTrade(Market m, JsonNode t, Instant ingestTime) throws ExchangeException {
    Map<String, String> info = VenueJson.fields(t);
    for (String field : List.of("a", "p", "q", "T", "m")) {
      if (!t.hasNonNull(field)) {
        throw new ExchangeException("aggregate trade without '" + field + "': " + t);
      }
    }
    return RawTrade.newBuilder()
        .setExchange("BINANCE")
        .setSymbol(m.symbol())
        .setVenueSymbol(m.id())
        .setTradeId(t.get("a").asText())
        .setPrice(VenueJson.number(t, "p"))
        .setAmount(VenueJson.number(t, "q"))
        .setSide(t.get("m").asBoolean() ? Side.SELL : Side.BUY) // buyer was maker: the taker sold
        .setEventTime(Instant.ofEpochMilli(t.get("T").asLong()))
        .setIngestTime(ingestTime)
        .setFormat(FORMAT)
        .setInfo(info)
        .build();
  }

  private static JsonNode required(JsonNode node, String field, String what) throws ExchangeException {
    if (!node.has(field)) {
      throw new ExchangeException(what + " has no '" + field + "'");
    }
    return node.get(field);
  }

  private static String text(JsonNode node, String field) throws ExchangeException {
    if (!node.hasNonNull(field)) {
      throw new ExchangeException("market entry without '" + field + "': " + node);
    }
    return node.get(field).asText();
  }
}
