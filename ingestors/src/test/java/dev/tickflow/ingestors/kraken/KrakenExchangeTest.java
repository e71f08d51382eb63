package dev.tickflow.ingestors.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.RequestBudget;
import dev.tickflow.ingestors.testing.RecordingListener;
import dev.tickflow.ingestors.testing.StubVenueHttp;
import dev.tickflow.ingestors.testing.VenueStreamServer;
import dev.tickflow.ingestors.testing.Wait;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.math.BigDecimal;
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
 * Kraken against local stand-ins. The five XBT/USD trades (ids 33185849..33185853) are a response Kraken really
 * sent, as printed in its REST documentation for {@code /0/public/Trades}; the AssetPairs entry and the v2
 * websocket messages have the shapes Kraken documents, carrying those same trades.
 */
class KrakenExchangeTest {

  static final String[][] TRADES = {
      {"53018.10000", "0.04628248", "1616666442.2951703", "b", "33185849"},
      {"53019.50000", "0.00168601", "1616666442.296356", "b", "33185850"},
      {"53041.00000", "0.00117527", "1616666442.2980762", "b", "33185851"},
      {"53047.40000", "0.00087289", "1616666442.2997677", "b", "33185852"},
      {"53048.90000", "0.00640000", "1616666442.3010457", "b", "33185853"}};

  private StubVenueHttp rest;
  private KrakenExchange kraken;

  @BeforeEach
  void start() throws Exception {
    rest = new StubVenueHttp(Map.of(
        "/0/public/AssetPairs", q -> "{\"error\":[],\"result\":{"
            + "\"XXBTZUSD\":{\"altname\":\"XBTUSD\",\"wsname\":\"XBT/USD\",\"base\":\"XXBT\",\"quote\":\"ZUSD\","
            + "\"pair_decimals\":1,\"lot_decimals\":8,\"tick_size\":\"0.1\",\"status\":\"online\"},"
            + "\"XDGUSD\":{\"altname\":\"XDGUSD\",\"wsname\":\"XDG/USD\",\"base\":\"XXDG\",\"quote\":\"ZUSD\","
            + "\"pair_decimals\":7,\"lot_decimals\":8,\"status\":\"online\"}}}",
        "/0/public/Trades", KrakenExchangeTest::trades,
        // Kraken's documented OHLC answer: [time, open, high, low, close, vwap, volume, count]
        "/0/public/OHLC", q -> "{\"error\":[],\"result\":{\"XXBTZUSD\":[[1688671200,\"30306.1\",\"30306.2\","
            + "\"30305.7\",\"30305.7\",\"30306.1\",\"3.39243896\",23],[1688671260,\"30304.5\",\"30304.5\","
            + "\"30300.0\",\"30300.3\",\"30300.7\",\"4.42996871\",18]],\"last\":1688672160}}"));
    kraken = new KrakenExchange(rest.baseUrl(), Duration.ofSeconds(5), RequestBudget.unlimited(), 100);
  }

  @AfterEach
  void stop() {
    rest.close();
  }

  /** Kraken's paging: trades after the nanosecond {@code since}, at most {@code count}, and the next cursor. */
  static String trades(Map<String, String> q) {
    if (!q.get("pair").equals("XXBTZUSD")) {
      throw new IllegalArgumentException("Unknown asset pair");
    }
    BigDecimal since = new BigDecimal(q.getOrDefault("since", "0")).movePointLeft(9);
    int count = Integer.parseInt(q.getOrDefault("count", "1000"));
    List<String> rows = new ArrayList<>();
    String last = q.getOrDefault("since", "0");
    for (String[] t : TRADES) {
      if (new BigDecimal(t[2]).compareTo(since) > 0 && rows.size() < count) {
        rows.add("[\"" + t[0] + "\",\"" + t[1] + "\"," + t[2] + ",\"" + t[3] + "\",\"m\",\"\"," + t[4] + "]");
        last = new BigDecimal(t[2]).movePointRight(9).toBigInteger().toString();
      }
    }
    return "{\"error\":[],\"result\":{\"XXBTZUSD\":[" + String.join(",", rows) + "],\"last\":\"" + last + "\"}}";
  }

  @Test
  void symbolsMapBothWaysWithKrakensAssetCodes() throws Exception {
    assertThat(kraken.loadMarkets()).containsOnlyKeys("BTC/USD", "DOGE/USD");
    assertThat(kraken.market("BTC/USD").id()).isEqualTo("XXBTZUSD");
    assertThat(kraken.market("DOGE/USD").priceTick()).isEqualByComparingTo("0.0000001");
    assertThat(KrakenAssets.unifiedSymbol("XBT/USD")).isEqualTo("BTC/USD");
    assertThat(KrakenAssets.restPair("BTC/USD")).isEqualTo("XBTUSD");
    assertThat(KrakenAssets.restPair("DOGE/USD")).isEqualTo("XDGUSD");
    assertThat(KrakenAssets.restPair("ETH/USD")).isEqualTo("ETHUSD");
    assertThatThrownBy(() -> kraken.market("XBT/USD")).isInstanceOf(ExchangeException.class)
        .hasMessageContaining("KRAKEN has no market XBT/USD");
  }

  @Test
  void ohlcRowsAreReadExactlyWithTheirTradeCount() throws Exception {
    var candles = kraken.fetchOHLCV("BTC/USD", dev.tickflow.schemas.Timeframe.M1, Instant.ofEpochSecond(1688671260), 10);
    assertThat(candles).singleElement().satisfies(c -> {
      assertThat(c.open().toPlainString()).isEqualTo("30304.5");
      assertThat(c.low().toPlainString()).isEqualTo("30300.0");
      assertThat(c.volume().toPlainString()).isEqualTo("4.42996871");
      assertThat(c.tradeCount()).isEqualTo(18);
    });
    assertThat(rest.requests).last().asString().contains("interval=1");
  }

  @Test
  void restTradesKeepKrakensDigitsAndTime() throws Exception {
    List<RawTrade> got = new ArrayList<>();
    long n = kraken.fetchTradesBetween("BTC/USD", Instant.parse("2021-03-25T10:00:00Z"),
        Instant.parse("2021-03-25T11:00:00Z"), got::add);
    assertThat(n).isEqualTo(5);
    RawTrade first = got.get(0);
    assertThat(first.getPrice()).isEqualTo("53018.10000");
    assertThat(first.getAmount()).isEqualTo("0.04628248");
    assertThat(first.getSide()).isEqualTo(Side.BUY);
    assertThat(first.getEventTime()).isEqualTo(Instant.ofEpochMilli(1616666442295L));
    assertThat(first.getInfo()).containsEntry("time", "1616666442.2951703").containsEntry("trade_id", "33185849");
    assertThat(got).extracting(RawTrade::getTradeId).containsExactly("33185849", "33185850", "33185851", "33185852",
        "33185853");
  }

  @Test
  void theV2FeedReadsJsonNumbersExactlyAndRepairsAGapFromTheLastTradeSeen() throws Exception {
    VenueStreamServer ws = new VenueStreamServer();
    ws.startAndWait();
    RecordingListener recorder = new RecordingListener();
    List<RawTrade> trades = recorder.trades;
    List<FeedGap> gaps = recorder.gaps;
    List<Quote> quotes = recorder.quotes;
    try (LiveFeed feed = new LiveFeed("KRAKEN#0", ws.baseUrl("/v2"), kraken, List.of(kraken.market("BTC/USD")),
        EnumSet.of(Channel.TRADES, Channel.QUOTES), recorder, new LiveFeed.Options(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30), "kr-1"))) {
      feed.start();
      Wait.until("two subscriptions", () -> ws.received.size() == 2);
      assertThat(ws.received).containsExactly(
          "{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"BTC/USD\"]}}",
          "{\"method\":\"subscribe\",\"params\":{\"channel\":\"ticker\",\"symbol\":[\"BTC/USD\"],\"event_trigger\":\"bbo\"}}");
      ws.broadcast("{\"method\":\"subscribe\",\"result\":{\"channel\":\"trade\",\"symbol\":\"BTC/USD\"},\"success\":true}");
      ws.broadcast("{\"channel\":\"heartbeat\"}");
      ws.broadcast(v2Trade(TRADES[0]));
      ws.broadcast(v2Trade(TRADES[4])); // 33185850..52 never came live
      ws.broadcast("{\"channel\":\"ticker\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bid\":53018.1,"
          + "\"bid_qty\":740.0,\"ask\":53019.50000,\"ask_qty\":1361.44813783,\"last\":53018.1}]}");
      Wait.until("5 trades and a quote", () -> trades.size() == 5 && quotes.size() == 1);
      assertThat(recorder.malformed).isEmpty();

      assertThat(trades).extracting(RawTrade::getTradeId).containsExactly("33185849", "33185850", "33185851",
          "33185852", "33185853");
      assertThat(trades.get(0).getPrice()).isEqualTo("53018.10000"); // the JSON number's own digits
      assertThat(trades.get(0).getAmount()).isEqualTo("0.04628248");
      assertThat(trades.get(0).getFormat()).isEqualTo(KrakenProtocol.FORMAT);
      assertThat(trades.get(2).getFormat()).isEqualTo(KrakenExchange.FORMAT);
      assertThat(gaps).singleElement().satisfies(g -> {
        assertThat(g.getFromTradeId()).isEqualTo("33185850");
        assertThat(g.getToTradeId()).isEqualTo("33185852");
        assertThat(g.getRepaired()).isTrue();
      });
      assertThat(quotes.get(0).getAskPrice().stripTrailingZeros().toPlainString()).isEqualTo("53019.5");
      assertThat(quotes.get(0).getInfo()).containsEntry("ask", "53019.50000").containsEntry("bid_qty", "740.0");
    } finally {
      ws.stop(1000);
    }
  }

  private static String v2Trade(String[] t) {
    Instant time = Instant.ofEpochMilli(new BigDecimal(t[2]).movePointRight(3).longValue());
    return "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
        + "\"price\":" + t[0] + ",\"qty\":" + t[1] + ",\"ord_type\":\"market\",\"trade_id\":" + t[4]
        + ",\"timestamp\":\"" + time + "\"}]}";
  }
}
