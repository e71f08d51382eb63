package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/**
 * Wilder-smoothed true range: the largest of high - low, |high - previous close| and |previous close - low|
 * (high - low on the first bar).
 */
public final class AverageTrueRange implements Indicator {

  private static final long serialVersionUID = 1L;

  private final ExponentialMovingAverage average;
  private BigDecimal previousClose;

  public AverageTrueRange(int period) {
    this.average = ExponentialMovingAverage.wilder(period, PriceField.CLOSE);
  }

  @Override
  public void update(Bar bar) {
    BigDecimal range = bar.high().subtract(bar.low()).abs();
    if (previousClose != null) {
      range = range.max(bar.high().subtract(previousClose).abs()).max(previousClose.subtract(bar.low()).abs());
    }
    average.add(range);
    previousClose = bar.close();
  }

  @Override
  public BigDecimal value() {
    return average.value();
  }

  @Override
  public boolean ready() {
    return average.ready();
  }
}
