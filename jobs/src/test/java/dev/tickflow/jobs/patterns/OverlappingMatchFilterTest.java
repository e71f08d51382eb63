package dev.tickflow.jobs.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Which pattern matches become alerts, and that they leave before the watermark of the bar that completed them. */
class OverlappingMatchFilterTest {

  private static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");

  private static KeyedOneInputStreamOperatorTestHarness<String, PatternAlert, PatternAlert> harness() throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new OverlappingMatchFilter()),
        OverlappingMatchFilter::tickerOf, Types.STRING);
    h.open();
    return h;
  }

  /** A 1m candle-pattern match over the bars opening at minutes {@code first..last}, emitted at the last's close. */
  private static StreamRecord<PatternAlert> bars(String base, int first, int last) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("first_bar", T0.plusSeconds(60L * first).toString());
    attributes.put("last_bar", T0.plusSeconds(60L * last).toString());
    Instant close = T0.plusSeconds(60L * (last + 1));
    return new StreamRecord<>(alert(base, "m" + first + "-" + last, "1m", attributes, close), close.toEpochMilli());
  }

  /** A trade-burst match whose first trade is at {@code firstMillis} and last at {@code lastMillis}. */
  private static StreamRecord<PatternAlert> burst(long firstMillis, long lastMillis) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("millis", Long.toString(lastMillis - firstMillis));
    Instant last = T0.plusMillis(lastMillis);
    return new StreamRecord<>(alert("XRP", "t" + firstMillis + "-" + lastMillis, TradeBurstAlerter.TICK, attributes,
        last), last.toEpochMilli());
  }

  private static PatternAlert alert(String base, String id, String timeframe, Map<String, String> attributes,
      Instant at) {
    return PatternAlert.newBuilder().setAlertId(id).setExchange("BINANCE").setBase(base).setQuote("ETH")
        .setPattern("p").setTimeframe(timeframe).setPrice(BigDecimal.ONE.setScale(18)).setDescription(id)
        .setAttributes(attributes).setEventTime(at).setIngestTime(at)
        .setSource(new SourceRange("market_data.ohlc", 0, 0L, 0L)).build();
  }

  private static long closeOfMinute(int minute) {
    return T0.plusSeconds(60L * (minute + 1)).toEpochMilli();
  }

  private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, PatternAlert, PatternAlert> h) {
    return h.extractOutputValues().stream().map(PatternAlert::getAlertId).toList();
  }

  @Test
  void ofMatchesCompletedByOneBarTheEarliestStartWinsWhateverTheirOrder() throws Exception {
    try (var h = harness()) {
      h.processElement(bars("XRP", 2, 5));
      h.processElement(bars("XRP", 1, 5));
      h.processElement(bars("XRP", 3, 5));
      h.processWatermark(new Watermark(closeOfMinute(5)));
      assertThat(ids(h)).containsExactly("m1-5");
    }
  }

  @Test
  void aMatchOverlappingTheLastAlertIsDroppedAndOneAfterItIsKept() throws Exception {
    try (var h = harness()) {
      h.processElement(bars("XRP", 0, 3));
      h.processWatermark(new Watermark(closeOfMinute(3)));
      h.processElement(bars("XRP", 1, 4)); // starts inside the alert's bars
      h.processElement(bars("XRP", 3, 5)); // starts on its last bar: still overlapping
      h.processWatermark(new Watermark(closeOfMinute(5)));
      h.processElement(bars("XRP", 4, 6)); // starts after it
      h.processWatermark(new Watermark(closeOfMinute(6)));
      assertThat(ids(h)).containsExactly("m0-3", "m4-6");
    }
  }

  @Test
  void tickersAreJudgedApart() throws Exception {
    try (var h = harness()) {
      h.processElement(bars("XRP", 0, 3));
      h.processElement(bars("ADA", 1, 3));
      h.processWatermark(new Watermark(closeOfMinute(3)));
      assertThat(ids(h)).containsExactlyInAnyOrder("m0-3", "m1-3");
    }
  }

  @Test
  void aMatchLeavesBeforeTheWatermarkOfTheBarThatCompletedItAndNotBefore() throws Exception {
    try (var h = harness()) {
      h.processElement(bars("XRP", 0, 3));
      h.processWatermark(new Watermark(closeOfMinute(3) - 1));
      assertThat(ids(h)).isEmpty();
      h.processWatermark(new Watermark(closeOfMinute(3)));
      // the alert, then the watermark that lets the detector engine judge the bar
      List<Object> output = List.copyOf(h.getOutput());
      int alert = -1;
      int watermark = -1;
      for (int i = 0; i < output.size(); i++) {
        if (output.get(i) instanceof StreamRecord<?>) {
          alert = i;
        } else if (output.get(i) instanceof Watermark w && w.getTimestamp() == closeOfMinute(3)) {
          watermark = i;
        }
      }
      assertThat(alert).isNotNegative().isLessThan(watermark);
    }
  }

  @Test
  void burstsOfTradesOverlapByTheirTradeTimes() throws Exception {
    try (var h = harness()) {
      h.processElement(burst(0, 2_000));
      h.processElement(burst(500, 2_000));
      h.processWatermark(new Watermark(T0.toEpochMilli() + 2_000));
      h.processElement(burst(1_000, 2_500));
      h.processElement(burst(2_001, 3_000));
      h.processWatermark(new Watermark(T0.toEpochMilli() + 3_000));
      assertThat(ids(h)).containsExactly("t0-2000", "t2001-3000");
    }
  }

  @Test
  void theLastAlertAndWaitingMatchesSurviveARestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.processElement(bars("XRP", 0, 3));
      h.processWatermark(new Watermark(closeOfMinute(3)));
      h.processElement(bars("XRP", 5, 7)); // completed, not yet judged
      snapshot = h.snapshot(1L, 1L);
    }
    var restored = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new OverlappingMatchFilter()), OverlappingMatchFilter::tickerOf, Types.STRING);
    try (restored) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(bars("XRP", 2, 7)); // overlaps m0-3, so m5-7 stays the one
      restored.processWatermark(new Watermark(closeOfMinute(7)));
      assertThat(ids(restored)).containsExactly("m5-7");
    }
  }
}
