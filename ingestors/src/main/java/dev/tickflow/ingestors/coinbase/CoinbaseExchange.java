package dev.tickflow.ingestors.coinbase;

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Coinbase Exchange (the former Coinbase Pro) over its public REST API. Products are {@code BTC-USD}; trade ids are
 * consecutive per product and pages run backwards ({@code after=X} returns the trades with ids below X, newest
 * first), so tickflow finds the first trade of a time range by bisecting over ids and then reads forward a page
 * at a time, never holding a whole range in memory. Public endpoints allow about 10 requests per second.
 *
 * <p>Coinbase's {@code side} is the maker's side; the taker, which tickflow records, did the opposite.
 */
public final class CoinbaseExchange implements Exchange {

  public static final URI DEFAULT_BASE_URL = URI.create("https://api.exchange.coinbase.com");
  public static final URI DEFAULT_WS_URL = URI.create("wss://ws-feed.exchange.coinbase.com");
  public static final String FORMAT = "coinbase-rest-trades";
  public static final int REQUESTS_PER_SECOND = 10;
  static final int MAX_LIMIT = 1000;
  static final int MAX_CANDLES = 300;

  private final VenueHttp http;
  private final int maxMarketsPerConnection;
  private final MarketDirectory markets = new MarketDirectory("COINBASE", Market::id);

  public CoinbaseExchange(URI baseUrl, Duration maxRetryWait) {
    this(baseUrl, maxRetryWait, new RequestBudget(REQUESTS_PER_SECOND, Duration.ofSeconds(1)),
        CoinbaseProtocol.MAX_MARKETS_PER_CONNECTION);
  }

  public CoinbaseExchange(URI baseUrl, Duration maxRetryWait, RequestBudget budget, int maxMarketsPerConnection) {
    this.http = new VenueHttp(baseUrl, maxRetryWait, budget, null);
    this.maxMarketsPerConnection = maxMarketsPerConnection;
  }

  @Override
  public String id() {
    return "COINBASE";
  }

  @Override
  public Map<String, Market> loadMarkets() throws ExchangeException {
    JsonNode products = http.get("/products", Map.of());
    if (!products.isArray()) {
      throw new ExchangeException("GET /products answered " + products.getNodeType() + ", not a list of products");
    }
    Map<String, Market> bySymbol = new LinkedHashMap<>();
    for (JsonNode p : products) {
      String base = required(p, "base_currency");
      String quote = required(p, "quote_currency");
      Market m = new Market(base + "/" + quote, required(p, "id"), base, quote,
          strip(VenueJson.decimal(p, "quote_increment")), strip(VenueJson.decimal(p, "base_increment")),
          "online".equals(p.path("status").asText()) && !p.path("trading_disabled").asBoolean(false));
      bySymbol.put(m.symbol(), m);
    }
    return markets.publish(bySymbol);
  }

  @Override
  public Market market(String symbol) throws ExchangeException {
    return markets.market(symbol, this::loadMarkets);
  }

  @Override
  public List<RawTrade> fetchTrades(String symbol, Instant since, int limit) throws ExchangeException {
    List<RawTrade> out = new ArrayList<>();
    Market m = market(symbol);
    long first = firstIdAtOrAfter(m, since);
    if (first < 0) {
      return out;
    }
    page(m, first + Math.min(limit, MAX_LIMIT), Math.min(limit, MAX_LIMIT)).stream()
        .filter(t -> Long.parseLong(t.getTradeId()) >= first).forEach(out::add);
    return out;
  }

  @Override
  public long fetchTradesBetween(String symbol, Instant from, Instant until, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    long next = firstIdAtOrAfter(m, from);
    if (next < 0) {
      return 0;
    }
    long handed = 0;
    while (true) {
      List<RawTrade> trades = page(m, next + MAX_LIMIT, MAX_LIMIT);
      boolean progressed = false;
      for (RawTrade t : trades) {
        long id = Long.parseLong(t.getTradeId());
        if (id < next) {
          continue;
        }
        if (!t.getEventTime().isBefore(until)) {
          return handed;
        }
        sink.accept(t);
        handed++;
        next = id + 1;
        progressed = true;
      }
      if (!progressed) {
        return handed; // the newest trade was reached
      }
    }
  }

  @Override
  public long fetchTradesByIds(String symbol, long fromId, long toId, Instant after, Consumer<RawTrade> sink)
      throws ExchangeException {
    Market m = market(symbol);
    long next = fromId;
    long handed = 0;
    while (next <= toId) {
      long below = Math.min(next + MAX_LIMIT, toId + 1);
      List<RawTrade> trades = page(m, below, (int) (below - next));
      boolean progressed = false;
      for (RawTrade t : trades) {
        long id = Long.parseLong(t.getTradeId());
        if (id >= next && id <= toId) {
          sink.accept(t);
          handed++;
          next = id + 1;
          progressed = true;
        }
      }
      if (!progressed) {
        break;
      }
    }
    return handed;
  }

  /** Coinbase's candle granularities, in seconds; it has no 4h candles. */
  @Override
  public List<Ohlcv> fetchOHLCV(String symbol, Timeframe timeframe, Instant since, int limit)
      throws ExchangeException {
    if (timeframe == Timeframe.H4) {
      throw new ExchangeException("COINBASE has no 4h candles (granularities: 1m 5m 15m 1h 6h 1d)");
    }
    Market m = market(symbol);
    int n = Math.min(limit, MAX_CANDLES);
    long seconds = timeframe.millis() / 1000;
    Instant end = since.plusSeconds(seconds * n);
    JsonNode rows = http.get("/products/" + m.id() + "/candles", Map.of("granularity", Long.toString(seconds),
        "start", since.toString(), "end", end.toString()));
    if (!rows.isArray()) {
      throw new ExchangeException("GET candles answered " + rows.getNodeType() + ", not a list of candles");
    }
    List<Ohlcv> candles = new ArrayList<>();
    for (JsonNode r : rows) {
      // [time, low, high, open, close, volume], newest first, numbers as JSON numbers (read exactly)
      if (!r.isArray() || r.size() < 6) {
        throw new ExchangeException("candle is not [time, low, high, open, close, volume]: " + r);
      }
      Instant open = Instant.ofEpochSecond(r.get(0).asLong());
      if (open.isBefore(since) || candles.size() >= n) {
        continue;
      }
      candles.add(new Ohlcv(open, r.get(3).decimalValue(), r.get(2).decimalValue(), r.get(1).decimalValue(),
          r.get(4).decimalValue(), r.get(5).decimalValue(), -1));
    }
    Collections.reverse(candles);
    return candles;
  }

  @Override
  public StreamProtocol streamProtocol() {
    return new CoinbaseProtocol(markets::byStreamKey, maxMarketsPerConnection);
  }

  @Override
  public URI defaultStreamUrl() {
    return DEFAULT_WS_URL;
  }

  /** The id of the first trade at or after {@code time}, by bisection over the consecutive ids; -1 if none. */
  private long firstIdAtOrAfter(Market m, Instant time) throws ExchangeException {
    List<RawTrade> newest = page(m, -1, 1);
    if (newest.isEmpty() || newest.get(0).getEventTime().isBefore(time)) {
      return -1;
    }
    long lo = 1;
    long hi = Long.parseLong(newest.get(0).getTradeId()); // invariant: trade hi is at or after time
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      List<RawTrade> probe = page(m, mid + 1, 1);
      if (probe.isEmpty()) {
        lo = mid + 1; // ids below the product's first trade
      } else if (probe.get(0).getEventTime().isBefore(time)) {
        lo = Long.parseLong(probe.get(0).getTradeId()) + 1;
      } else {
        hi = Long.parseLong(probe.get(0).getTradeId());
      }
    }
    return hi;
  }

  /** Up to {@code limit} trades with ids below {@code below} (all newest when below < 0), oldest first. */
  private List<RawTrade> page(Market m, long below, int limit) throws ExchangeException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(Math.max(1, Math.min(limit, MAX_LIMIT))));
    if (below >= 0) {
      query.put("after", Long.toString(below));
    }
    JsonNode page = http.get("/products/" + m.id() + "/trades", query);
    if (!page.isArray()) {
      throw new ExchangeException("GET trades answered " + page.getNodeType() + ", not a list of trades");
    }
    Instant now = Instant.now();
    List<RawTrade> trades = new ArrayList<>(page.size());
    for (JsonNode t : page) {
      trades.add(toRawTrade(m, t, now, FORMAT));
    }
    Collections.reverse(trades);
    return trades;
  }

  /** A Coinbase trade (REST) or match (websocket) as a raw trade, fields verbatim in info. */
  static RawTrade toRawTrade(Market m, JsonNode t, Instant ingestTime, String format) throws ExchangeException {
    String id = VenueJson.number(t, "trade_id");
    String price = VenueJson.number(t, "price");
    String size = VenueJson.number(t, "size");
    Instant time = VenueJson.isoTime(t, "time");
    Side side = makerSideToTaker(t.path("side").asText(""));
    if (id == null || price == null || size == null || time == null || side == null) {
      throw new ExchangeException("trade without a readable trade_id, price, size, time or side: " + t);
    }
    try {
      Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ExchangeException("trade_id '" + id + "' is not an integer");
    }
    return RawTrade.newBuilder()
        .setExchange("COINBASE").setSymbol(m.symbol()).setVenueSymbol(m.id())
        .setTradeId(id).setPrice(price).setAmount(size).setSide(side)
        .setEventTime(Instant.ofEpochMilli(time.toEpochMilli())).setIngestTime(ingestTime)
        .setFormat(format).setInfo(VenueJson.fields(t))
        .build();
  }

  /** Coinbase reports the maker's side; the taker did the opposite. */
  static Side makerSideToTaker(String makerSide) {
    return switch (makerSide) {
      case "buy" -> Side.SELL;
      case "sell" -> Side.BUY;
      default -> null;
    };
  }

  private static BigDecimal strip(BigDecimal v) {
    return v == null ? null : v.stripTrailingZeros();
  }

  private static String required(JsonNode node, String field) throws ExchangeException {
    if (!node.hasNonNull(field)) {
      throw new ExchangeException("product without '" + field + "': " + node);
    }
    return node.get(field).asText();
  }
}
