package dev.tickflow.ingestors.coinbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.Ohlcv;
import dev.tickflow.ingestors.exchange.RequestBudget;
import dev.tickflow.ingestors.testing.RecordingListener;
import dev.tickflow.ingestors.testing.StubVenueHttp;
import dev.tickflow.ingestors.testing.VenueStreamServer;
import dev.tickflow.ingestors.testing.Wait;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coinbase Exchange against local stand-ins. Trade 18502034, the ticker and the 1h candle are payloads Coinbase
 * really sent (recorded in CCXT's test suite, ts/src/test/static/response/coinbaseexchange.json); the trades
 * around it have the same shape with consecutive ids, as Coinbase numbers them, and ten-second steps. The
 * websocket messages have the shapes of Coinbase's published feed documentation.
 */
class CoinbaseExchangeTest {

  private static final long FIRST_ID = 18502000;
  private static final Instant FIRST_TIME = Instant.parse("2024-03-13T10:54:37.710679Z");
  private static final int N = 60;

  private StubVenueHttp rest;
  private CoinbaseExchange coinbase;

  @BeforeEach
  void start() throws Exception {
    rest = new StubVenueHttp(Map.of(
        "/products", q -> "[{\"id\":\"BTC-USDT\",\"base_currency\":\"BTC\",\"quote_currency\":\"USDT\","
            + "\"quote_increment\":\"0.01000000\",\"base_increment\":\"0.00000001\",\"display_name\":\"BTC-USDT\","
            + "\"status\":\"online\",\"trading_disabled\":false}]",
        "/products/BTC-USDT/trades", CoinbaseExchangeTest::trades,
        "/products/BTC-USDT/candles", q -> "[[1710327600,73241.5,73402.47,73243.33,73370.65,1.56794406]]"));
    coinbase = new CoinbaseExchange(rest.baseUrl(), Duration.ofSeconds(5), RequestBudget.unlimited(), 2);
  }

  @AfterEach
  void stop() {
    rest.close();
  }

  /** Coinbase's paging: ids below {@code after}, newest first, at most {@code limit} (1000). */
  static String trades(Map<String, String> q) {
    int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
    if (limit > 1000) {
      throw new IllegalArgumentException("limit above 1000");
    }
    long below = q.containsKey("after") ? Long.parseLong(q.get("after")) : FIRST_ID + N;
    List<String> rows = new ArrayList<>();
    for (long id = Math.min(below, FIRST_ID + N) - 1; id >= FIRST_ID && rows.size() < limit; id--) {
      rows.add(trade(id));
    }
    return "[" + String.join(",", rows) + "]";
  }

  static String trade(long id) {
    if (id == 18502034) {
      return "{\"trade_id\":\"18502034\",\"side\":\"sell\",\"size\":\"0.00007448\",\"price\":\"73271.63000000\","
          + "\"time\":\"2024-03-13T11:00:17.710679Z\"}";
    }
    return "{\"trade_id\":" + id + ",\"side\":\"" + (id % 2 == 0 ? "buy" : "sell") + "\",\"size\":\"0.0" + id % 97
        + "\",\"price\":\"73" + (200 + id % 100) + ".01000000\",\"time\":\"" + time(id) + "\"}";
  }

  /** Ranges are asked in milliseconds, as trade times are kept. */
  static Instant millis(long id) {
    return time(id).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  static Instant time(long id) {
    return FIRST_TIME.plusSeconds(10 * (id - FIRST_ID));
  }

  @Test
  void marketsMapBothWays() throws Exception {
    assertThat(coinbase.market("BTC/USDT").id()).isEqualTo("BTC-USDT");
    assertThat(coinbase.market("BTC/USDT").priceTick()).isEqualByComparingTo("0.01");
    assertThat(coinbase.loadMarkets()).containsOnlyKeys("BTC/USDT");
    assertThatThrownBy(() -> coinbase.market("BTC/USD")).isInstanceOf(ExchangeException.class)
        .hasMessageContaining("COINBASE has no market BTC/USD").hasMessageContaining("BTC/USDT");
  }

  @Test
  void aRecordedTradeKeepsItsDigitsAndTheTakerSide() throws Exception {
    List<RawTrade> trades = coinbase.fetchTrades("BTC/USDT", Instant.parse("2024-03-13T11:00:17Z"), 1);
    RawTrade t = trades.get(0);
    assertThat(t.getTradeId()).isEqualTo("18502034");
    assertThat(t.getPrice()).isEqualTo("73271.63000000");
    assertThat(t.getAmount()).isEqualTo("0.00007448");
    assertThat(t.getSide()).isEqualTo(Side.BUY); // the maker sold, so the taker bought (as CCXT reads it)
    assertThat(t.getEventTime()).isEqualTo(Instant.parse("2024-03-13T11:00:17.710Z"));
    assertThat(t.getSymbol()).isEqualTo("BTC/USDT");
    assertThat(t.getVenueSymbol()).isEqualTo("BTC-USDT");
    assertThat(t.getInfo()).containsEntry("time", "2024-03-13T11:00:17.710679Z");
  }

  @Test
  void aTimeRangeIsFoundByBisectionAndReadForwardCompletely() throws Exception {
    List<RawTrade> got = new ArrayList<>();
    long n = coinbase.fetchTradesBetween("BTC/USDT", millis(FIRST_ID + 7), millis(FIRST_ID + 41), got::add);
    assertThat(n).isEqualTo(34);
    assertThat(got).extracting(RawTrade::getTradeId).first().isEqualTo(Long.toString(FIRST_ID + 7));
    assertThat(got).extracting(t -> Long.parseLong(t.getTradeId())).isSorted().doesNotHaveDuplicates()
        .last().isEqualTo(FIRST_ID + 40);
  }

  @Test
  void candlesAreReorderedFromCoinbasesColumnsExactly() throws Exception {
    List<Ohlcv> c = coinbase.fetchOHLCV("BTC/USDT", Timeframe.H1, Instant.ofEpochSecond(1710327600), 1);
    assertThat(c).singleElement().satisfies(o -> {
      assertThat(o.open()).isEqualByComparingTo("73243.33");
      assertThat(o.high()).isEqualByComparingTo("73402.47");
      assertThat(o.low()).isEqualByComparingTo("73241.5");
      assertThat(o.close()).isEqualByComparingTo("73370.65");
      assertThat(o.volume().toPlainString()).isEqualTo("1.56794406");
    });
    assertThatThrownBy(() -> coinbase.fetchOHLCV("BTC/USDT", Timeframe.H4, Instant.EPOCH, 1))
        .hasMessageContaining("no 4h candles");
  }

  @Test
  void theLiveFeedSubscribesResubscribesAfterADropAndRepairsGapsOverRest() throws Exception {
    VenueStreamServer ws = new VenueStreamServer();
    ws.startAndWait();
    RecordingListener recorder = new RecordingListener();
    List<RawTrade> trades = recorder.trades;
    List<FeedGap> gaps = recorder.gaps;
    List<Quote> quotes = recorder.quotes;
    List<String> malformed = recorder.malformed;
    try (LiveFeed feed = new LiveFeed("COINBASE#0", ws.baseUrl("/"), coinbase, List.of(coinbase.market("BTC/USDT")),
        EnumSet.of(Channel.TRADES, Channel.QUOTES), recorder, new LiveFeed.Options(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30), "cb-1"))) {
      feed.start();
      Wait.until("the subscription", () -> ws.received.size() == 1);
      assertThat(ws.received.get(0)).isEqualTo("{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USDT\"],"
          + "\"channels\":[\"matches\",\"ticker\",\"heartbeat\"]}");
      ws.broadcast("{\"type\":\"subscriptions\",\"channels\":[{\"name\":\"matches\",\"product_ids\":[\"BTC-USDT\"]}]}");
      for (long id = FIRST_ID; id < FIRST_ID + 5; id++) {
        ws.broadcast(match(id, id == FIRST_ID ? "last_match" : "match"));
      }
      Wait.until("5 trades", () -> trades.size() == 5);

      ws.dropAll();
      Wait.until("a resubscription on a new connection", () -> ws.received.size() == 2 && ws.connections.size() == 2);
      assertThat(ws.received.get(1)).isEqualTo(ws.received.get(0));
      ws.broadcast(match(FIRST_ID + 4, "last_match")); // seen before the drop: dropped as a copy
      ws.broadcast(match(FIRST_ID + 12, "match")); // 5..11 traded while disconnected
      ws.broadcast("{\"type\":\"ticker\",\"sequence\":37475248783,\"product_id\":\"BTC-USDT\",\"price\":\"73367.8\","
          + "\"best_bid\":\"73360.34\",\"best_bid_size\":\"0.46688654\",\"best_ask\":\"73369.19\","
          + "\"best_ask_size\":\"1.56637040\",\"side\":\"buy\",\"time\":\"2024-03-13T11:10:41.270099Z\","
          + "\"trade_id\":18502105,\"last_size\":\"0.00730812\"}");
      ws.broadcast("{\"type\":\"match\",\"product_id\":\"BTC-USDT\",\"trade_id\":1}");
      Wait.until("13 trades and a quote", () -> trades.size() == 13 && quotes.size() == 1 && malformed.size() == 1);

      assertThat(trades).extracting(t -> Long.parseLong(t.getTradeId()))
          .containsExactlyElementsOf(java.util.stream.LongStream.range(FIRST_ID, FIRST_ID + 13).boxed().toList());
      assertThat(gaps).singleElement().satisfies(g -> {
        assertThat(g.getRecovered()).isEqualTo(7);
        assertThat(g.getRepaired()).isTrue();
      });
      assertThat(feed.duplicatesDropped()).isEqualTo(1);
      assertThat(quotes.get(0).getBidPrice()).isEqualByComparingTo("73360.34");
      assertThat(quotes.get(0).getEventTime()).isEqualTo(Instant.parse("2024-03-13T11:10:41.270Z"));
      assertThat(malformed.get(0)).contains("without a readable");
      assertThat(trades).allMatch(t -> t.getIngestorId().equals("cb-1"));
    } finally {
      ws.stop(1000);
    }
  }

  private static String match(long id, String type) {
    String rest = trade(id);
    return "{\"type\":\"" + type + "\",\"product_id\":\"BTC-USDT\",\"sequence\":" + (id * 3) + ","
        + rest.substring(1);
  }
}
