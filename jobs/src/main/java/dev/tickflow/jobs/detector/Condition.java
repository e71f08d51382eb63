package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.Indicator;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.jobs.indicators.RollingExtreme;
import dev.tickflow.jobs.indicators.SimpleMovingAverage;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** The condition of a rule, as configured; {@link #newState} gives the memory it needs per ticker. */
public sealed interface Condition extends Serializable {

  ConditionState newState();

  /** {@code a > b}, {@code a < b}, or a crossing: above (or below) now, not above (not below) on the last bar. */
  record Compare(Kind kind, Operand a, Operand b) implements Condition {

    /** The four comparisons, as config keys. */
    public enum Kind { GREATER_THAN, LESS_THAN, CROSSES_ABOVE, CROSSES_BELOW }

    @Override
    public ConditionState newState() {
      return new CompareState(this);
    }
  }

  /** Named (not anonymous) so that state written by one build reads back in the next. */
  final class CompareState implements ConditionState {
    private static final long serialVersionUID = 1L;
    private final Compare c;
    private BigDecimal previousA;
    private BigDecimal previousB;

    CompareState(Compare c) {
      this.c = c;
    }

    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      Operand a = c.a();
      Operand b = c.b();
      Compare.Kind kind = c.kind();
      BigDecimal va = a.valueOf(bar, indicators);
      BigDecimal vb = b.valueOf(bar, indicators);
      Map<String, String> in = inputs(a, va, b, vb);
      boolean fired;
      String detail;
      if (va == null || vb == null) {
        fired = false;
        detail = (va == null ? a : b) + " not ready";
      } else {
        int now = va.compareTo(vb);
        switch (kind) {
          case GREATER_THAN -> fired = now > 0;
          case LESS_THAN -> fired = now < 0;
          // a cross needs both sides on the bar before: operands get ready at different bars
          case CROSSES_ABOVE -> fired = now > 0 && previousA != null && previousB != null
              && previousA.compareTo(previousB) <= 0;
          default -> fired = now < 0 && previousA != null && previousB != null
              && previousA.compareTo(previousB) >= 0;
        }
        if (kind == Compare.Kind.CROSSES_ABOVE || kind == Compare.Kind.CROSSES_BELOW) {
          in.put(a + "@previous", previousA == null ? "none" : previousA.toPlainString());
          in.put(b + "@previous", previousB == null ? "none" : previousB.toPlainString());
        }
        detail = a + " " + (now > 0 ? ">" : now < 0 ? "<" : "=") + " " + b
            + (fired ? ", " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') : "");
      }
      previousA = va;
      previousB = vb;
      return new Check(fired, in, detail);
    }
  }

  /** {@code low <= x <= high}. */
  record Within(Operand x, Operand low, Operand high) implements Condition {
    @Override
    public ConditionState newState() {
      return new WithinState(this);
    }
  }

  /** Within needs no memory; a class of its own all the same, for stable state. */
  record WithinState(Within w) implements ConditionState {
    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      Operand x = w.x();
      Operand low = w.low();
      Operand high = w.high();
      BigDecimal vx = x.valueOf(bar, indicators);
      BigDecimal lo = low.valueOf(bar, indicators);
      BigDecimal hi = high.valueOf(bar, indicators);
      Map<String, String> in = inputs(x, vx, low, lo);
      in.put(high.name(), text(hi));
      if (vx == null || lo == null || hi == null) {
        return new Check(false, in, "not ready");
      }
      boolean fired = vx.compareTo(lo) >= 0 && vx.compareTo(hi) <= 0;
      return new Check(fired, in, x + (fired ? " within " : " outside ") + "[" + low + ", " + high + "]");
    }
  }

  /** The last {@code bars} closes each higher (or lower) than the one before. */
  record Consecutive(int bars, boolean rising) implements Condition {
    @Override
    public ConditionState newState() {
      return new ConsecutiveState(bars, rising);
    }
  }

  /** The streak so far. */
  final class ConsecutiveState implements ConditionState {
    private static final long serialVersionUID = 1L;
    private final int bars;
    private final boolean rising;
    private BigDecimal previousClose;
    private int streak;

    ConsecutiveState(int bars, boolean rising) {
      this.bars = bars;
      this.rising = rising;
    }

    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      if (previousClose != null) {
        int c = bar.close().compareTo(previousClose);
        streak = (rising ? c > 0 : c < 0) ? streak + 1 : 0;
      }
      previousClose = bar.close();
      boolean fired = streak >= bars;
      Map<String, String> in = new LinkedHashMap<>();
      in.put("close", bar.close().toPlainString());
      in.put("streak", Integer.toString(streak));
      return new Check(fired, in, streak + " " + (rising ? "rising" : "falling") + " closes in a row (need " + bars
          + ")");
    }
  }

  /** Volume above {@code factor} times the average volume of the {@code period} bars before this one. */
  record VolumeSpike(int period, BigDecimal factor) implements Condition {
    @Override
    public ConditionState newState() {
      return new VolumeSpikeState(period, factor);
    }
  }

  /** The average volume of the bars before. */
  final class VolumeSpikeState implements ConditionState {
    private static final long serialVersionUID = 1L;
    private final int period;
    private final BigDecimal factor;
    private final SimpleMovingAverage before;

    VolumeSpikeState(int period, BigDecimal factor) {
      this.period = period;
      this.factor = factor;
      this.before = new SimpleMovingAverage(period, PriceField.VOLUME);
    }

    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      BigDecimal average = before.ready() ? before.value() : null;
      before.update(bar);
      Map<String, String> in = new LinkedHashMap<>();
      in.put("volume", bar.volume().toPlainString());
      in.put("volume_average", text(average));
      if (average == null) {
        return new Check(false, in, "fewer than " + period + " bars of volume yet");
      }
      BigDecimal bar0 = factor.multiply(average);
      boolean fired = bar.volume().compareTo(bar0) > 0;
      return new Check(fired, in, "volume " + (fired ? ">" : "<=") + " " + factor.toPlainString()
          + " x average of " + period + " bars");
    }
  }

  /** Close above the highest high (or below the lowest low) of the {@code period} bars before this one. */
  record Breakout(int period, boolean up) implements Condition {
    @Override
    public ConditionState newState() {
      return new BreakoutState(period, up);
    }
  }

  /** The extreme of the bars before. */
  final class BreakoutState implements ConditionState {
    private static final long serialVersionUID = 1L;
    private final int period;
    private final boolean up;
    private final RollingExtreme before;

    BreakoutState(int period, boolean up) {
      this.period = period;
      this.up = up;
      this.before = up ? RollingExtreme.highest(period, PriceField.HIGH) : RollingExtreme.lowest(period, PriceField.LOW);
    }

    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      BigDecimal level = before.ready() ? before.value() : null;
      before.update(bar);
      Map<String, String> in = new LinkedHashMap<>();
      in.put("close", bar.close().toPlainString());
      in.put(up ? "highest_high" : "lowest_low", text(level));
      if (level == null) {
        return new Check(false, in, "fewer than " + period + " bars yet");
      }
      int c = bar.close().compareTo(level);
      boolean fired = up ? c > 0 : c < 0;
      return new Check(fired, in, "close " + (c > 0 ? ">" : c < 0 ? "<" : "=") + " " + period + "-bar "
          + (up ? "high" : "low"));
    }
  }

  /**
   * A CEP pattern matched on the ticker with its last bar among the {@code withinBars} bars ending at this one.
   * An instance with such a rule is judged once the watermark has passed its bar, so every alert for the bar
   * has arrived: the same bars and alerts always give the same signals.
   */
  record PatternMatched(String pattern, int withinBars, long barMillis) implements Condition {
    @Override
    public ConditionState newState() {
      return new PatternMatchedState(this);
    }
  }

  /** Stateless: the alerts live in the engine's keyed state. */
  record PatternMatchedState(PatternMatched p) implements ConditionState {
    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators) {
      return evaluate(bar, indicators, PatternMatches.NONE);
    }

    @Override
    public Check evaluate(Bar bar, Map<String, Indicator> indicators, PatternMatches patterns) {
      long close = bar.openTime() + p.barMillis();
      boolean fired = patterns.matched(p.pattern(), close - p.withinBars() * p.barMillis(), close);
      Map<String, String> in = new LinkedHashMap<>();
      in.put("pattern", p.pattern());
      in.put("matched", Boolean.toString(fired));
      return new Check(fired, in, "pattern " + p.pattern() + (fired ? " matched" : " did not match") + " in the last "
          + p.withinBars() + " bar(s)");
    }
  }

  private static Map<String, String> inputs(Operand a, BigDecimal va, Operand b, BigDecimal vb) {
    Map<String, String> in = new LinkedHashMap<>();
    in.put(a.name(), text(va));
    in.put(b.name(), text(vb));
    return in;
  }

  private static String text(BigDecimal v) {
    return v == null ? "not ready" : v.toPlainString();
  }
}
