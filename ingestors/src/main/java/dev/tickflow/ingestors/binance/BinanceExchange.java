package dev.tickflow.ingestors.binance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.VenueHttp;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Binance spot over its public REST API: markets from {@code /api/v3/exchangeInfo}, trades from
 * {@code /api/v3/aggTrades} (aggregate trades: one per taker order and price, ids consecutive). The base URL is
 * configurable so tests and mirrors can stand in for {@value #DEFAULT_BASE_URL}.
 */
public final class BinanceExchange implements Exchange {

  public static final String DEFAULT_BASE_URL = "https://api.binance.com";
  public static final String FORMAT = "binance-rest-aggtrades";
  /** Binance's largest page, and its largest startTime..endTime window for aggTrades (less than an hour). */
  static final int MAX_LIMIT = 1000;
  static final long MAX_WINDOW_MILLIS = Duration.ofHours(1).toMillis() - 1;

  private final VenueHttp http;
  private volatile Map<String, Market> markets;

  public BinanceExchange(URI baseUrl, Duration maxRetryWait) {
    this.http = new VenueHttp(baseUrl, maxRetryWait);
  }

  @Override
  public String id() {
    return "BINANCE";
  }

  @Override
  public Map<String, Market> loadMarkets() throws ExchangeException {
    JsonNode info = http.get("/api/v3/exchangeInfo", Map.of());
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
    markets = Collections.unmodifiableMap(bySymbol);
    return markets;
  }

  /** The market of a unified symbol, loading markets on first use. */
  public Market market(String symbol) throws ExchangeException {
    Map<String, Market> known = markets != null ? markets : loadMarkets();
    Market m = known.get(symbol);
    if (m == null) {
      throw new ExchangeException(id() + " has no market " + symbol + " (symbols are BASE/QUOTE, e.g. BTC/USDT)");
    }
    return m;
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

  /** Every aggregate trade with an id in {@code [fromId, toId]}, in order: what a gap repair asks for. */
  public long fetchTradesByIds(String symbol, long fromId, long toId, Consumer<RawTrade> sink)
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
    JsonNode page = http.get("/api/v3/aggTrades", query);
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
    Map<String, String> info = new LinkedHashMap<>();
    t.fields().forEachRemaining(e -> info.put(e.getKey(), e.getValue().asText()));
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
        .setPrice(t.get("p").asText())
        .setAmount(t.get("q").asText())
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
