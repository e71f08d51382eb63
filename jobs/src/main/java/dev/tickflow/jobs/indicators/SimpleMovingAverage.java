package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/** Mean of the last {@code period} values of a field; over the bars so far until there are that many. */
public final class SimpleMovingAverage implements Indicator {

  private static final long serialVersionUID = 1L;

  private final PriceField field;
  private final RollingWindow window;

  public SimpleMovingAverage(int period, PriceField field) {
    this.field = field;
    this.window = new RollingWindow(period);
  }

  @Override
  public void update(Bar bar) {
    window.add(bar.get(field));
  }

  @Override
  public BigDecimal value() {
    return window.count() == 0 ? null : Precision.divide(window.sum(), window.count());
  }

  @Override
  public boolean ready() {
    return window.full();
  }
}
