package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/** Highest or lowest value of a field over the last {@code period} bars (N-bar high / low). */
public final class RollingExtreme implements Indicator {

  private static final long serialVersionUID = 1L;

  private final PriceField field;
  private final boolean highest;
  private final RollingWindow window;

  private RollingExtreme(int period, PriceField field, boolean highest) {
    this.field = field;
    this.highest = highest;
    this.window = new RollingWindow(period);
  }

  public static RollingExtreme highest(int period, PriceField field) {
    return new RollingExtreme(period, field, true);
  }

  public static RollingExtreme lowest(int period, PriceField field) {
    return new RollingExtreme(period, field, false);
  }

  @Override
  public void update(Bar bar) {
    window.add(bar.get(field));
  }

  @Override
  public BigDecimal value() {
    return highest ? window.max() : window.min();
  }

  @Override
  public boolean ready() {
    return window.full();
  }
}
