package dev.tickflow.jobs.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.DetectorAction;
import dev.tickflow.schemas.event.DetectorConfigChange;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The rule engine in Flink's keyed-broadcast harness: scoring, crossing, cooldown, attribution, reloads, errors. */
class DetectorEngineTest {

  /** Long when the close rises two bars in a row (2) and is above 1.05 (1); short on two falling closes (3). */
  static final String MOMENTUM = """
      id: momentum
      version: 1
      tickers: ["BINANCE:*/ETH"]
      timeframe: 1m
      indicators:
        sma3: {type: sma, period: 3}
      rules:
        - id: rising
          when: {rising_closes: 2}
          weight: 2
          direction: long
        - id: above-level
          when: {greater_than: [close, 1.05]}
          weight: 1
          direction: long
        - id: above-sma
          when: {greater_than: [close, sma3]}
          weight: 0.5
        - id: falling
          when: {falling_closes: 2}
          weight: 3
          direction: short
      thresholds: {long: 3, short: 3}
      cooldown: 3m
      """;

  static KeyedBroadcastOperatorTestHarness<String, DetectorInput, DetectorConfigChange, Signal> harness(
      DetectorEngine engine) throws Exception {
    KeyedBroadcastOperatorTestHarness<String, DetectorInput, DetectorConfigChange, Signal> h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(engine,
            DetectorInput::key, Types.STRING,
            DetectorEngine.CHANGES);
    h.open();
    return h;
  }

  static DetectorConfigChange deploy(String yaml) {
    DetectorConfig c = DetectorConfigs.parse(yaml);
    return DetectorConfigChange.newBuilder().setDetectorId(c.id()).setVersion(c.version())
        .setAction(DetectorAction.DEPLOY).setConfig(DetectorConfigs.toJson(yaml))
        .setEventTime(Instant.EPOCH).setIngestTime(Instant.EPOCH).build();
  }

  static DetectorConfigChange remove(String id) {
    return DetectorConfigChange.newBuilder().setDetectorId(id).setVersion(0).setAction(DetectorAction.REMOVE)
        .setEventTime(Instant.EPOCH).setIngestTime(Instant.EPOCH).build();
  }

  private static void feed(KeyedBroadcastOperatorTestHarness<String, DetectorInput, DetectorConfigChange, Signal> h,
      int fromMinute, String... closes) throws Exception {
    for (int i = 0; i < closes.length; i++) {
      h.processElement(DetectorInput.of(Bars.candle(fromMinute + i, closes[i], "1")),
          Bars.T0.toEpochMilli() + 60_000L * (fromMinute + i));
    }
  }

  @Test
  void aSignalComesWhenTheScoreCrossesTheThresholdAndExplainsItselfRuleByRule() throws Exception {
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(MOMENTUM))))) {
      feed(h, 0, "1.00", "1.01", "1.02"); // rising x2 from bar 2: long = 2 (+0.5 above sma) = 2.5 < 3
      assertThat(h.extractOutputValues()).isEmpty();
      feed(h, 3, "1.06"); // rising (2) + above 1.05 (1) + above sma (0.5) = 3.5 >= 3: crossed
      assertThat(h.extractOutputValues()).singleElement().satisfies(s -> {
        assertThat(s.getDirection()).isEqualTo(Direction.LONG);
        assertThat(s.getScore()).isEqualByComparingTo("3.5");
        assertThat(s.getThreshold()).isEqualByComparingTo("3");
        assertThat(s.getDetectorId()).isEqualTo("momentum");
        assertThat(s.getDetectorVersion()).isEqualTo(1);
        assertThat(s.getPrice()).isEqualByComparingTo("1.06");
        assertThat(s.getEventTime()).isEqualTo(Bars.T0.plusSeconds(4 * 60));
        assertThat(s.getRules()).extracting(RuleContribution::getRule)
            .containsExactly("rising", "above-level", "above-sma", "falling");
        assertThat(s.getRules()).extracting(RuleContribution::getFired).containsExactly(true, true, true, false);
        assertThat(s.getRules().stream().map(RuleContribution::getScore).reduce(BigDecimal.ZERO, BigDecimal::add))
            .as("attribution sums to the score").isEqualByComparingTo(s.getScore());
        assertThat(s.getRules().get(1).getInputs()).containsEntry("close", "1.060000000000000000")
            .containsEntry("1.05", "1.05");
        assertThat(s.getRules().get(0).getDetail()).isEqualTo("3 rising closes in a row (need 2)");
        assertThat(s.getSignalId()).isEqualTo(DetectorEvaluator.signalId(DetectorConfigs.parse(MOMENTUM),
            Bars.candle(3, "1.06", "1"), Direction.LONG));
      });
      feed(h, 4, "1.07"); // still above the threshold: no new crossing, no signal
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }

  @Test
  void theCooldownHoldsBackASecondCrossingAndTheShortSideHasItsOwnThreshold() throws Exception {
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(MOMENTUM))))) {
      // long crossing at bar 3 (closes at minute 4); short crossing at bar 5 (minute 6): within 3m, held back
      feed(h, 0, "1.00", "1.01", "1.02", "1.06", "1.04", "1.03");
      assertThat(h.extractOutputValues()).extracting(Signal::getDirection).containsExactly(Direction.LONG);
      // back up and down again: short crosses at bar 9, 6 minutes after the long one
      feed(h, 6, "1.04", "1.05", "1.04", "1.03");
      assertThat(h.extractOutputValues()).extracting(Signal::getDirection)
          .containsExactly(Direction.LONG, Direction.SHORT);
      Signal shortSignal = h.extractOutputValues().get(1);
      assertThat(shortSignal.getScore()).isEqualByComparingTo("3");
      assertThat(shortSignal.getRules()).filteredOn(RuleContribution::getFired).extracting(RuleContribution::getRule)
          .contains("falling");
      assertThat(shortSignal.getRules()).filteredOn(r -> r.getRule().equals("above-level")).singleElement()
          .satisfies(r -> assertThat(r.getScore()).isEqualByComparingTo("0"));
    }
  }

  @Test
  void theSameBarsGiveTheSameSignalsIdsIncluded() throws Exception {
    List<Signal> first;
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(MOMENTUM))))) {
      feed(h, 0, "1.00", "1.01", "1.02", "1.06", "1.04", "1.03", "1.04", "1.05", "1.04", "1.03");
      first = List.copyOf(h.extractOutputValues());
    }
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(MOMENTUM))))) {
      feed(h, 0, "1.00", "1.01", "1.02", "1.06", "1.04", "1.03", "1.04", "1.05", "1.04", "1.03");
      assertThat(h.extractOutputValues()).isEqualTo(first).hasSize(2);
    }
  }

  @Test
  void aFailingInstanceIsPausedWithADeadLetterWhileTheOthersGoOn() throws Exception {
    // two weights that each fit decimal(38,18) but whose sum does not: the score cannot be written
    String overflowing = """
        id: overflowing
        version: 1
        tickers: ["BINANCE:XRP/ETH"]
        timeframe: 1m
        rules:
          - {id: a, when: {greater_than: [close, 0]}, weight: 90000000000000000000}
          - {id: b, when: {greater_than: [close, 0]}, weight: 90000000000000000000}
        thresholds: {long: 1}
        """;
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(overflowing),
        DetectorConfigs.parse(MOMENTUM))))) {
      feed(h, 0, "1.00", "1.01", "1.02", "1.06");
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorId).containsExactly("momentum");
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(r -> {
        DeadLetter d = r.getValue();
        assertThat(d.getErrorType()).isEqualTo("DETECTOR_FAILED");
        assertThat(d.getReason()).startsWith("overflowing@1 failed and is paused on this ticker")
            .contains("integer digits");
      });
      feed(h, 4, "1.07", "1.08");
      assertThat(h.getSideOutput(DeadLetters.TAG)).as("paused: no second failure").hasSize(1);
      // a new version starts afresh and runs again
      h.processBroadcastElement(deploy(overflowing.replace("version: 1", "version: 2")
          .replace("90000000000000000000", "1")), 0);
      feed(h, 6, "1.09");
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorId).containsExactly("momentum", "overflowing");
    }
  }

  @Test
  void instancesAreAddedChangedRemovedAndAnInvalidOneIsRefusedWhileTheOldVersionRuns() throws Exception {
    try (var h = harness(new DetectorEngine(List.of()))) {
      feed(h, 0, "1.00", "1.01", "1.02", "1.06");
      assertThat(h.extractOutputValues()).as("nothing deployed yet").isEmpty();

      h.processBroadcastElement(deploy(MOMENTUM), 0);
      feed(h, 4, "1.00", "1.01", "1.02", "1.06");
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorVersion).containsExactly(1);

      // invalid: refused with every reason, version 1 goes on
      h.processBroadcastElement(DetectorConfigChange.newBuilder(deploy(MOMENTUM)).setVersion(2)
          .setConfig("{\"id\": \"momentum\", \"version\": 2, \"tickers\": [\"BINANCE:XRP/ETH\"], \"timeframe\": \"7m\","
              + " \"rules\": [{\"id\": \"x\", \"when\": {\"greater_than\": [\"close\", \"ema\"]}, \"weight\": 1}],"
              + " \"thresholds\": {\"long\": 1}}").build(), 0);
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(r -> {
        assertThat(r.getValue().getErrorType()).isEqualTo("INVALID_DETECTOR_CONFIG");
        assertThat(r.getValue().getReason()).contains("timeframe").contains("'ema' is neither an indicator");
      });
      feed(h, 8, "1.00", "1.01", "1.02", "1.06");
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorVersion).containsExactly(1, 1);

      // changed: version 2 with a lower long threshold starts afresh (no memory of version 1's bars)
      h.processBroadcastElement(deploy(MOMENTUM.replace("version: 1", "version: 2")
          .replace("thresholds: {long: 3, short: 3}", "thresholds: {long: 2.5, short: 3}")), 0);
      feed(h, 12, "1.00", "1.01");
      assertThat(h.extractOutputValues()).as("fresh state: one rise is not two").hasSize(2);
      feed(h, 14, "1.02");
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorVersion).containsExactly(1, 1, 2);

      // an older version is refused
      h.processBroadcastElement(deploy(MOMENTUM), 0);
      assertThat(h.getSideOutput(DeadLetters.TAG)).hasSize(2).last()
          .satisfies(r -> assertThat(r.getValue().getReason()).contains("older than the running momentum@2"));

      h.processBroadcastElement(remove("momentum"), 0);
      feed(h, 15, "1.00", "1.01", "1.02", "1.06", "1.00", "0.9", "0.8");
      assertThat(h.extractOutputValues()).as("removed: silent").hasSize(3);
    }
  }

  static final String FADE = """
      id: fade
      version: 1
      tickers: ["BINANCE:XRP/ETH"]
      timeframe: 1m
      rules:
        - id: after-spike
          when: {pattern: {id: spike-reversal, within_bars: 2}}
          weight: 2
          direction: short
        - id: below-level
          when: {less_than: [close, 1.02]}
          weight: 1
          direction: short
      thresholds: {short: 3}
      """;

  static PatternAlert spikeAlert(int lastBarMinute) {
    Instant close = Bars.T0.plusSeconds(60L * (lastBarMinute + 1));
    return PatternAlert.newBuilder().setAlertId("a-" + lastBarMinute).setExchange("BINANCE").setBase("XRP")
        .setQuote("ETH").setPattern("spike-reversal").setTimeframe("1m").setPrice(new BigDecimal("1").setScale(18))
        .setDescription("spike").setEventTime(close).setIngestTime(close)
        .setSource(new dev.tickflow.schemas.event.SourceRange("market_data.ohlc", 0, 1L, 1L)).build();
  }

  @Test
  void aPatternRuleJudgesTheBarOnceTheWatermarkSaysEveryAlertForItHasArrived() throws Exception {
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(FADE), DetectorConfigs.parse(MOMENTUM))))) {
      long minute = 60_000L;
      long t0 = Bars.T0.toEpochMilli();
      // the config topic is idle in the job: it never holds back event time
      h.processBroadcastWatermark(Long.MAX_VALUE);
      for (int i = 0; i < 4; i++) {
        String close = new String[] {"1.00", "1.01", "1.02", "1.06"}[i];
        h.processElement(DetectorInput.of(Bars.candle(i, close, "1")), t0 + (i + 1) * minute);
      }
      assertThat(h.extractOutputValues()).as("momentum judges bars as they come")
          .extracting(Signal::getDetectorId).containsExactly("momentum");
      h.processElement(DetectorInput.of(Bars.candle(4, "1.01", "1")), t0 + 5 * minute);
      // the spike's alert for bar 4 comes after the bar itself (CEP emits it at the watermark), then the watermark
      h.processElement(DetectorInput.of(spikeAlert(4)), t0 + 5 * minute);
      assertThat(h.extractOutputValues()).as("fade waits for the watermark").hasSize(1);
      h.processWatermark(new org.apache.flink.streaming.api.watermark.Watermark(t0 + 5 * minute));
      assertThat(h.extractOutputValues()).extracting(Signal::getDetectorId).containsExactly("momentum", "fade");
      Signal fade = h.extractOutputValues().get(1);
      assertThat(fade.getDirection()).isEqualTo(Direction.SHORT);
      assertThat(fade.getRules().get(0).getInputs()).containsEntry("pattern", "spike-reversal")
          .containsEntry("matched", "true");
      assertThat(fade.getRules().get(0).getDetail()).isEqualTo("pattern spike-reversal matched in the last 2 bar(s)");
      assertThat(h.numEventTimeTimers()).as("no timers left behind").isZero();

      // two bars later the alert is out of the rule's reach: the score falls and no signal comes
      h.processElement(DetectorInput.of(Bars.candle(5, "1.00", "1")), t0 + 6 * minute);
      h.processElement(DetectorInput.of(Bars.candle(6, "1.00", "1")), t0 + 7 * minute);
      h.processWatermark(new org.apache.flink.streaming.api.watermark.Watermark(t0 + 7 * minute));
      assertThat(h.extractOutputValues()).hasSize(2);
      assertThat(DetectorRun.signals(List.of(DetectorConfigs.parse(FADE)), java.util.stream.IntStream.range(0, 7)
              .mapToObj(i -> Bars.candle(i, new String[] {"1.00", "1.01", "1.02", "1.06", "1.01", "1.00", "1.00"}[i],
                  "1")).toList(), List.of(spikeAlert(4))))
          .as("the plain loop agrees").extracting(Signal::getSignalId).containsExactly(fade.getSignalId());
    }
  }

  @Test
  void anAlertForABarAlreadyJudgedIsCountedAsLate() throws Exception {
    DetectorEngine engine = new DetectorEngine(List.of(DetectorConfigs.parse(FADE)));
    try (var h = harness(engine)) {
      long minute = 60_000L;
      long t0 = Bars.T0.toEpochMilli();
      h.processBroadcastWatermark(Long.MAX_VALUE);
      h.processElement(DetectorInput.of(spikeAlert(0)), t0 + minute);
      assertThat(engine.lateAlerts()).as("an alert with no bar judged yet is on time").isZero();
      for (int i = 0; i < 5; i++) {
        h.processElement(DetectorInput.of(Bars.candle(i, "1.01", "1")), t0 + (i + 1) * minute);
      }
      h.processWatermark(new org.apache.flink.streaming.api.watermark.Watermark(t0 + 4 * minute));
      h.processElement(DetectorInput.of(spikeAlert(4)), t0 + 5 * minute);
      assertThat(engine.lateAlerts()).as("bar 4 is not judged yet").isZero();
      h.processElement(DetectorInput.of(spikeAlert(3)), t0 + 4 * minute);
      assertThat(engine.lateAlerts()).as("bar 3 was judged without it").isEqualTo(1);
    }
  }

  @Test
  void onlyTheTickersAndTimeframeOfAnInstanceAreWatched() throws Exception {
    String xrpOnly = MOMENTUM.replace("BINANCE:*/ETH", "BINANCE:XRP/ETH");
    try (var h = harness(new DetectorEngine(List.of(DetectorConfigs.parse(xrpOnly))))) {
      for (int i = 0; i < 4; i++) {
        String close = new String[] {"1.00", "1.01", "1.02", "1.06"}[i];
        h.processElement(DetectorInput.of(Bars.candle("ADA", i, close, close, close, close, "1")), i);
      }
      for (int i = 0; i < 4; i++) {
        String close = new String[] {"1.00", "1.01", "1.02", "1.06"}[i];
        h.processElement(DetectorInput.of(Candle.newBuilder(Bars.candle(i, close, "1")).setTimeframe("5m").build()), i);
      }
      assertThat(h.extractOutputValues()).as("another ticker, another timeframe").isEmpty();
      feed(h, 0, "1.00", "1.01", "1.02", "1.06");
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }
}
