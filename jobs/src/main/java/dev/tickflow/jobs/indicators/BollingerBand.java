package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/**
 * One Bollinger band: the simple moving average of the field (middle), plus or minus {@code k} population
 * standard deviations of the same window.
 */
public final class BollingerBand implements Indicator {

  private static final long serialVersionUID = 1L;

  /** Which of the three lines. */
  public enum Band { UPPER, MIDDLE, LOWER }

  private final PriceField field;
  private final BigDecimal k;
  private final Band band;
  private final RollingWindow window;

  public BollingerBand(int period, BigDecimal k, Band band, PriceField field) {
    this.field = field;
    this.k = k;
    this.band = band;
    this.window = new RollingWindow(period);
  }

  @Override
  public void update(Bar bar) {
    window.add(bar.get(field));
  }

  @Override
  public BigDecimal value() {
    int n = window.count();
    if (n == 0) {
      return null;
    }
    BigDecimal mean = Precision.divide(window.sum(), n);
    if (band == Band.MIDDLE) {
      return mean;
    }
    BigDecimal squares = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal d = window.get(i).subtract(mean);
      squares = squares.add(d.multiply(d));
    }
    BigDecimal deviation = Precision.divide(squares, n).sqrt(Precision.CONTEXT);
    BigDecimal offset = k.multiply(deviation, Precision.CONTEXT);
    return band == Band.UPPER ? mean.add(offset) : mean.subtract(offset);
  }

  @Override
  public boolean ready() {
    return window.full();
  }
}
