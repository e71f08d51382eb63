package dev.tickflow.jobs.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every pattern type in one Flink job over hand-made 1m bars, a ticker per scenario: what matches, what does not,
 * and what runs out of its window.
 */
class CandlePatternsTest {

  private static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");
  private static Map<String, List<PatternAlert>> alertsByBase;

  /** {close, volume, high (optional), trades (optional), feed health (optional)} per bar. */
  private static List<Candle> bars(String base, String[]... rows) {
    List<Candle> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      String[] r = rows[i];
      BigDecimal close = new BigDecimal(r[0]).setScale(18);
      BigDecimal high = (r.length > 2 ? new BigDecimal(r[2]) : new BigDecimal(r[0])).setScale(18);
      Instant open = T0.plusSeconds(60L * i);
      out.add(Candle.newBuilder().setExchange("BINANCE").setBase(base).setQuote("ETH").setTimeframe("1m")
          .setOpenTime(open).setCloseTime(open.plusSeconds(60)).setOpen(close).setHigh(high.max(close)).setLow(close)
          .setClose(close).setVolume(new BigDecimal(r[1]).setScale(18)).setQuoteVolume(close)
          .setTradeCount(r.length > 3 ? Integer.parseInt(r[3]) : 1).setIsFinal(true).setRevision(0)
          .setEventTime(open).setIngestTime(open).setSource(new SourceRange("market_data.ohlc", 0, (long) i, (long) i))
          .setFeedHealth(r.length > 4 ? FeedHealth.valueOf(r[4]) : FeedHealth.HEALTHY).build());
    }
    return out;
  }

  private static String[] b(String... v) {
    return v;
  }

  @BeforeAll
  static void runAllPatternsOnce() throws Exception {
    List<Candle> input = new ArrayList<>();
    // three rises on rising volume after a base bar; a fourth rise without volume does not extend it
    input.addAll(bars("RISE", b("1.00", "1"), b("1.01", "2"), b("1.02", "3"), b("1.03", "4"), b("1.04", "1")));
    // rises, but volume falls on the second: no match
    input.addAll(bars("FLAT", b("1.00", "5"), b("1.01", "6"), b("1.02", "2"), b("1.03", "3")));
    // a 1% spike to 1.01 at minute 2, then back to 1.004: a spike of more than 0.5% given back by half
    input.addAll(bars("SPIKE", b("1.00", "1"), b("1.001", "1"), b("1.008", "1", "1.01"), b("1.004", "1"),
        b("1.004", "1")));
    // the same spike, but the reversal comes after the 5-minute window: the partial match times out
    input.addAll(bars("SLOW", b("1.00", "1"), b("1.001", "1"), b("1.008", "1", "1.01"), b("1.009", "1"),
        b("1.009", "1"), b("1.009", "1"), b("1.009", "1"), b("1.009", "1"), b("1.004", "1"), b("1.004", "1")));
    // a 3-bar range topped at 1.02, a close above it, and the next bar above it too
    input.addAll(bars("BRK", b("1.00", "1", "1.02"), b("1.01", "1"), b("1.00", "1"), b("1.03", "1"),
        b("1.025", "1"), b("1.00", "1")));
    // the same breakout without confirmation: the next bar falls back into the range
    input.addAll(bars("FAIL", b("1.00", "1", "1.02"), b("1.01", "1"), b("1.00", "1"), b("1.03", "1"),
        b("1.01", "1"), b("1.00", "1")));
    // trades, then three bars without any on a feed that is not known to be up
    input.addAll(bars("STALE", b("1", "1", "1", "3"), b("1", "0", "1", "0", "DEGRADED"), b("1", "0", "1", "0", "UNKNOWN"),
        b("1", "0", "1", "0", "DEGRADED"), b("1", "0", "1", "0", "DEGRADED")));
    // the same silence on a healthy feed: a quiet market, not a stale feed
    input.addAll(bars("QUIET", b("1", "1", "1", "3"), b("1", "0", "1", "0"), b("1", "0", "1", "0"),
        b("1", "0", "1", "0"), b("1", "0", "1", "0")));
    String specs = """
        patterns:
          - {id: rising, type: rising_closes_with_volume, tickers: ["BINANCE:RISE/ETH", "BINANCE:FLAT/ETH"], bars: 3}
          - {id: spike, type: spike_reversal, tickers: ["BINANCE:SPIKE/ETH", "BINANCE:SLOW/ETH"], percent: 0.5, window: 5m}
          - {id: breakout, type: confirmed_breakout, tickers: ["BINANCE:BRK/ETH", "BINANCE:FAIL/ETH"], bars: 3}
          - {id: stale, type: stale_feed, tickers: ["BINANCE:STALE/ETH", "BINANCE:QUIET/ETH"], bars: 3}
        """;
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<Candle> candles = env.fromData(input, TypeInformation.of(Candle.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Candle>forBoundedOutOfOrderness(Duration.ofMinutes(30))
            .withTimestampAssigner((c, t) -> c.getCloseTime().toEpochMilli()));
    List<PatternAlert> alerts = new ArrayList<>();
    try (var it = CandlePatterns.addTo(candles, PatternSpecs.parse(specs)).executeAndCollect("patterns")) {
      it.forEachRemaining(alerts::add);
    }
    alertsByBase = alerts.stream().collect(Collectors.groupingBy(PatternAlert::getBase));
  }

  @Test
  void risingClosesOnRisingVolume() {
    assertThat(alertsByBase.get("RISE")).singleElement().satisfies(a -> {
      assertThat(a.getPattern()).isEqualTo("rising");
      assertThat(a.getPrice()).isEqualByComparingTo("1.03");
      assertThat(a.getEventTime()).isEqualTo(T0.plusSeconds(4 * 60));
      assertThat(a.getAttributes()).containsEntry("bars", "4").containsEntry("close_from", "1")
          .containsEntry("close_to", "1.03");
    });
    assertThat(alertsByBase).doesNotContainKey("FLAT");
  }

  @Test
  void aSpikeGivenBackWithinItsWindowAndOneThatTookTooLong() {
    assertThat(alertsByBase.get("SPIKE")).singleElement().satisfies(a -> {
      assertThat(a.getPattern()).isEqualTo("spike");
      assertThat(a.getAttributes()).containsEntry("peak_high", "1.01").containsEntry("reversal_close", "1.004");
      assertThat(a.getDescription()).startsWith("spike of ");
    });
    assertThat(alertsByBase).as("the reversal came after the window").doesNotContainKey("SLOW");
  }

  @Test
  void aBreakoutCountsOnlyWhenTheNextBarConfirmsIt() {
    assertThat(alertsByBase.get("BRK")).singleElement().satisfies(a -> {
      assertThat(a.getAttributes()).containsEntry("range_high", "1.02");
      assertThat(a.getPrice()).isEqualByComparingTo("1.025");
    });
    assertThat(alertsByBase).doesNotContainKey("FAIL");
  }

  @Test
  void aFeedThatGoesQuietIsStale() {
    assertThat(alertsByBase.get("STALE")).singleElement().satisfies(a -> {
      assertThat(a.getAttributes()).containsEntry("silent_bars", "3");
      assertThat(a.getEventTime()).isEqualTo(T0.plusSeconds(4 * 60));
    });
    assertThat(alertsByBase).as("empty bars on a healthy feed").doesNotContainKey("QUIET");
  }

  /**
   * The bar-by-bar watermark of a paced live job: an alert must leave before the watermark passes its last bar,
   * or the detector engine judges that bar without it. Here a partial match that started earlier (bar 0, waiting
   * for a spike it never sees) is still alive when the match from bar 1 completes; CEP's own skip strategy held
   * such a match back until the earlier one timed out, bars later.
   */
  @Test
  void anAlertLeavesBeforeTheWatermarkPassesItsBarWhileAnEarlierPartialMatchLives() throws Exception {
    List<Candle> input = bars("HELD", b("1.005", "1"), b("1.00", "1"), b("1.008", "1", "1.01"), b("1.004", "1"),
        b("1.004", "1"), b("1.004", "1"), b("1.004", "1"), b("1.004", "1"), b("1.004", "1"), b("1.004", "1"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Candle> candles = env.fromData(input, TypeInformation.of(Candle.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Candle>forGenerator(ctx -> new EveryBar())
            .withTimestampAssigner((c, t) -> c.getCloseTime().toEpochMilli()));
    List<String> seen = new ArrayList<>();
    String spec = "patterns: [{id: spike, type: spike_reversal, tickers: ['*'], percent: 0.5, window: 5m}]";
    try (var it = CandlePatterns.addTo(candles, PatternSpecs.parse(spec))
        .process(new Timeliness()).executeAndCollect("paced patterns")) {
      it.forEachRemaining(seen::add);
    }
    assertThat(seen).containsExactly(T0.plusSeconds(60) + " in time");
  }

  /** A watermark at every bar's close, as a live job paced bar by bar moves it. */
  private static final class EveryBar implements WatermarkGenerator<Candle> {
    @Override
    public void onEvent(Candle c, long timestamp, WatermarkOutput output) {
      output.emitWatermark(new org.apache.flink.api.common.eventtime.Watermark(timestamp));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
  }

  /** An alert's first bar, and whether the watermark had already passed its last bar when it arrived. */
  private static final class Timeliness extends ProcessFunction<PatternAlert, String> {
    @Override
    public void processElement(PatternAlert a, Context ctx, Collector<String> out) {
      boolean late = ctx.timerService().currentWatermark() >= a.getEventTime().toEpochMilli();
      out.collect(a.getAttributes().get("first_bar") + (late ? " late" : " in time"));
    }
  }

  @Test
  void alertIdsAreDerivedFromPatternTickerAndBars() {
    PatternSpec spec = PatternSpecs.parse("patterns: [{id: stale, type: stale_feed, tickers: ['*'], bars: 3}]").get(0);
    List<Candle> bars = bars("STALE", b("1", "1", "1", "3"), b("1", "0", "1", "0", "DEGRADED"),
        b("1", "0", "1", "0", "UNKNOWN"), b("1", "0", "1", "0", "DEGRADED"));
    Map<String, List<Candle>> match = Map.of("traded", bars.subList(0, 1), "silent", bars.subList(1, 4));
    assertThat(PatternAlerter.alert(spec, match).getAlertId()).isEqualTo(PatternAlerter.alert(spec, match).getAlertId())
        .isEqualTo(alertsByBase.get("STALE").get(0).getAlertId());
  }

  @Test
  void aPatternsFileWithMistakesNamesEachOne() {
    assertThatThrownBy(() -> PatternSpecs.parse("""
        patterns:
          - {id: a, type: zigzag, tickers: ["*"]}
          - {id: b, type: spike_reversal, tickers: [], percent: -1, window: soon}
          - {id: c, type: stale_feed, tickers: ["*"], bars: 1000}
        """)).hasMessageContaining("pattern 'a': type 'zigzag' is not one of")
        .hasMessageContaining("pattern 'b': tickers must list").hasMessageContaining("pattern 'b': percent must be")
        .hasMessageContaining("pattern 'b': window must be a duration")
        .hasMessageContaining("pattern 'c': bars must be a whole number from 1 to 120");
    assertThat(PatternSpecs.defaults()).extracting(PatternSpec::type).containsExactlyInAnyOrder(PatternSpec.Type.values());
  }
}
