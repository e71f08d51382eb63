package dev.tickflow.deploy.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.ingestors.replay.SampleData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What the bundled Binance sample must produce: Binance's own klines, trade counts, the last final bar. */
final class SampleExpectations {

  static final Instant START = Instant.parse("2019-10-11T00:00:00Z");

  private SampleExpectations() {}

  /** 1m klines: open time -> open, high, low, close, volume, exactly as Binance wrote them. */
  static Map<Long, BigDecimal[]> klines() throws Exception {
    return klines(SampleData.KLINES_1M);
  }

  /** 5m klines, the same way. */
  static Map<Long, BigDecimal[]> klines5m() throws Exception {
    return klines(SampleData.KLINES_5M);
  }

  private static Map<Long, BigDecimal[]> klines(String file) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    Map<Long, BigDecimal[]> klines = new TreeMap<>();
    try (var in = SampleData.open(file)) {
      for (var row : mapper.readTree(in)) {
        klines.put(row.get(0).asLong(), new BigDecimal[] {row.get(1).decimalValue(), row.get(2).decimalValue(),
            row.get(3).decimalValue(), row.get(4).decimalValue(), row.get(5).decimalValue()});
      }
    }
    return klines;
  }

  /** Open times of the klines with trades, up to and including {@code lastBar}. */
  static Set<Long> barsWithTrades(Map<Long, BigDecimal[]> klines, long lastBar) {
    Set<Long> bars = new TreeSet<>();
    klines.forEach((t, k) -> {
      if (t <= lastBar && k[4].signum() > 0) {
        bars.add(t);
      }
    });
    return bars;
  }

  /**
   * The lake's 1m bars up to {@code lastBar}: each bar once, every bar that had trades there, and each equal to
   * Binance's kline digit for digit (open, high, low, close, volume).
   */
  static void assertLakeBarsEqualKlines(dev.tickflow.catalog.sql.SqlRunner sql, long lastBar) throws Exception {
    Map<Long, BigDecimal[]> klines = klines();
    List<List<Object>> bars = sql.query("SELECT open_time, `open`, high, low, `close`, volume FROM market.ohlc "
        + "WHERE timeframe = '1m'");
    org.assertj.core.api.Assertions.assertThat(bars).extracting(r -> Probes.toInstant(r.get(0)).toEpochMilli())
        .doesNotHaveDuplicates().containsAll(barsWithTrades(klines, lastBar));
    for (List<Object> bar : bars) {
      BigDecimal[] k = klines.get(Probes.toInstant(bar.get(0)).toEpochMilli());
      for (int i = 0; i < 5; i++) {
        org.assertj.core.api.Assertions.assertThat((BigDecimal) bar.get(i + 1)).isEqualByComparingTo(k[i]);
      }
    }
  }

  static long tradesBefore(Instant until) throws Exception {
    return tradeTimes(until).size();
  }

  /** The last 1m bar a replay up to {@code until} makes final: the one before the bar of its last trade. */
  static long lastFinalBar(Instant until) throws Exception {
    List<Long> times = tradeTimes(until);
    long lastTradeBar = Math.floorDiv(times.get(times.size() - 1), 60_000L) * 60_000L;
    return times.stream().map(t -> Math.floorDiv(t, 60_000L) * 60_000L).filter(b -> b < lastTradeBar)
        .max(Long::compare).orElseThrow();
  }

  private static List<Long> tradeTimes(Instant until) throws Exception {
    List<Long> times = new ArrayList<>();
    try (var in = new BufferedReader(new InputStreamReader(SampleData.open(SampleData.TRADES),
        StandardCharsets.UTF_8))) {
      in.lines().skip(1).map(l -> Long.parseLong(l.split(",")[5])).filter(t -> t < until.toEpochMilli())
          .forEach(times::add);
    }
    return times;
  }

  /** Binance's 1m klines up to {@code lastBar} as final candles: what the job's candles equal digit for digit. */
  static List<dev.tickflow.schemas.event.Candle> klineCandles(long lastBar) throws Exception {
    List<dev.tickflow.schemas.event.Candle> out = new ArrayList<>();
    for (Map.Entry<Long, BigDecimal[]> e : klines().entrySet()) {
      if (e.getKey() > lastBar) {
        break;
      }
      Instant open = Instant.ofEpochMilli(e.getKey());
      BigDecimal[] k = e.getValue();
      out.add(dev.tickflow.schemas.event.Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
          .setOpenTime(open).setCloseTime(open.plusSeconds(60)).setOpen(k[0].setScale(18)).setHigh(k[1].setScale(18))
          .setLow(k[2].setScale(18)).setClose(k[3].setScale(18)).setVolume(k[4].setScale(18))
          .setQuoteVolume(BigDecimal.ZERO.setScale(18)).setTradeCount(0).setIsFinal(true).setRevision(0)
          .setEventTime(open).setIngestTime(open).setSource(new dev.tickflow.schemas.event.SourceRange("market_data.raw", 0, 0L, 0L))
          .setFeedHealth(dev.tickflow.schemas.event.FeedHealth.UNKNOWN).build());
    }
    return out;
  }

  /**
   * The trading settings the tests over the sample share, written to {@code dir}: a 5% risk budget, a low
   * conviction bar, no loss cooldown or streak limit (so every signal of the six hours is decided) and hourly
   * account snapshots.
   */
  static Path tradingSettings(Path dir) throws java.io.IOException {
    return Files.writeString(dir.resolve("trading.yaml"), """
        advisor: {riskBudget: 0.05, minConviction: 0.3}
        risk: {startingEquity: 100, currency: ETH, lossCooldownSeconds: 0, maxConsecutiveLosses: 1000}
        paper: {snapshotIntervalSeconds: 3600}
        """);
  }
}
