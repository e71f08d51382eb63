package dev.tickflow.jobs.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.Indicator;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.jobs.indicators.SimpleMovingAverage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every rule type on hand-made bars: when it fires, when it does not, and what it reports. */
class ConditionsTest {

  /** Feeds closes (volume 1) through a condition, returning which bars fired. */
  private static List<Boolean> fired(Condition condition, Map<String, Indicator> indicators, String... closes) {
    ConditionState state = condition.newState();
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < closes.length; i++) {
      Bar bar = Bars.bar(i, closes[i], "1");
      indicators.values().forEach(ind -> ind.update(bar));
      out.add(state.evaluate(bar, indicators).fired());
    }
    return out;
  }

  @Test
  void greaterAndLessThanCompareOnEveryBar() {
    Operand close = Operand.field(PriceField.CLOSE);
    Operand two = Operand.literal(new BigDecimal("2"));
    assertThat(fired(new Condition.Compare(Condition.Compare.Kind.GREATER_THAN, close, two), Map.of(), "1", "2", "3"))
        .containsExactly(false, false, true);
    assertThat(fired(new Condition.Compare(Condition.Compare.Kind.LESS_THAN, close, two), Map.of(), "1", "2", "3"))
        .containsExactly(true, false, false);
  }

  @Test
  void aCrossFiresOnTheBarItHappensOnlyAndNotBeforeTheIndicatorIsReady() {
    Operand close = Operand.field(PriceField.CLOSE);
    Operand sma = Operand.indicator("sma3");
    Map<String, Indicator> up = Map.of("sma3", new SimpleMovingAverage(3, PriceField.CLOSE));
    // sma3 ready from bar 2: 2 vs 2 (equal), bar 3: 1 < 1.67, bar 4: 5 > 2.67 (cross), bar 5: 6 > 4 (still above)
    assertThat(fired(new Condition.Compare(Condition.Compare.Kind.CROSSES_ABOVE, close, sma), up,
        "3", "1", "2", "1", "5", "6")).containsExactly(false, false, false, false, true, false);
    Map<String, Indicator> down = Map.of("sma3", new SimpleMovingAverage(3, PriceField.CLOSE));
    assertThat(fired(new Condition.Compare(Condition.Compare.Kind.CROSSES_BELOW, close, sma), down,
        "1", "3", "2", "3", "1", "0.5")).containsExactly(false, false, false, false, true, false);
  }

  @Test
  void aCrossOfTwoIndicatorsReadyAtDifferentBarsWaitsForBoth() {
    Map<String, Indicator> indicators = new java.util.LinkedHashMap<>();
    indicators.put("fast", new SimpleMovingAverage(1, PriceField.CLOSE));
    indicators.put("slow", new SimpleMovingAverage(3, PriceField.CLOSE));
    Condition c = new Condition.Compare(Condition.Compare.Kind.CROSSES_ABOVE, Operand.indicator("fast"),
        Operand.indicator("slow"));
    // slow is ready from bar 2, where fast (3) is already above it (2): no cross, nothing known before.
    // bar 3: fast 1 < slow 2; bar 4: fast 5 > slow 3: the cross
    assertThat(fired(c, indicators, "1", "2", "3", "1", "5")).containsExactly(false, false, false, false, true);
  }

  @Test
  void withinIncludesItsBounds() {
    Condition c = new Condition.Within(Operand.field(PriceField.CLOSE), Operand.literal(BigDecimal.ONE),
        Operand.literal(new BigDecimal("2")));
    assertThat(fired(c, Map.of(), "0.99", "1", "1.5", "2", "2.01")).containsExactly(false, true, true, true, false);
  }

  @Test
  void consecutiveClosesCountTheStreakAndAFlatBarBreaksIt() {
    assertThat(fired(new Condition.Consecutive(2, true), Map.of(), "1", "2", "3", "3", "4", "5"))
        .containsExactly(false, false, true, false, false, true);
    assertThat(fired(new Condition.Consecutive(2, false), Map.of(), "5", "4", "3", "2"))
        .containsExactly(false, false, true, true);
  }

  @Test
  void aVolumeSpikeIsMeasuredAgainstTheBarsBeforeIt() {
    ConditionState spike = new Condition.VolumeSpike(3, new BigDecimal("2")).newState();
    List<Boolean> out = new ArrayList<>();
    String[] volumes = {"1", "1", "1", "2", "2.1", "10"};
    for (int i = 0; i < volumes.length; i++) {
      out.add(spike.evaluate(Bars.bar(i, "1", volumes[i]), Map.of()).fired());
    }
    // bar 3: 2 > 2 x 1? no. bar 4: 2.1 > 2 x 1.333? no. bar 5: 10 > 2 x 1.7 = 3.4: yes
    assertThat(out).containsExactly(false, false, false, false, false, true);
    Check last = new Condition.VolumeSpike(1, BigDecimal.ONE).newState().evaluate(Bars.bar(0, "1", "1"), Map.of());
    assertThat(last.inputs()).containsEntry("volume_average", "not ready");
  }

  @Test
  void aBreakoutIsACloseBeyondTheExtremeOfThePreviousBars() {
    ConditionState high = new Condition.Breakout(2, true).newState();
    ConditionState low = new Condition.Breakout(2, false).newState();
    String[][] bars = {{"1", "1.2", "0.9", "1"}, {"1", "1.1", "0.8", "1"}, {"1", "1.3", "1", "1.2"},
        {"1.2", "1.4", "1.1", "1.35"}, {"1", "1", "0.7", "0.75"}};
    List<Boolean> ups = new ArrayList<>();
    List<Boolean> downs = new ArrayList<>();
    for (int i = 0; i < bars.length; i++) {
      Bar b = Bar.of(Bars.candle(i, bars[i][0], bars[i][1], bars[i][2], bars[i][3], "1"));
      ups.add(high.evaluate(b, Map.of()).fired());
      downs.add(low.evaluate(b, Map.of()).fired());
    }
    // bar 2: 1.2 > max(1.2, 1.1)? no (equal). bar 3: 1.35 > max(1.1, 1.3): yes. bar 4: 0.75 < min(1, 1.1): yes
    assertThat(ups).containsExactly(false, false, false, true, false);
    assertThat(downs).containsExactly(false, false, false, false, true);
  }
}
