package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/**
 * {@code ema = ema + k * (x - ema)}, seeded with the first value. {@code k = 2 / (period + 1)} for the usual EMA;
 * {@code k = 1 / period} for Wilder's smoothing ({@link #wilder}), which RSI and ATR use. Ready after
 * {@code period} values, when the seed's weight has faded.
 */
public final class ExponentialMovingAverage implements Indicator {

  private static final long serialVersionUID = 1L;

  private final PriceField field;
  private final int period;
  private final BigDecimal k;
  private BigDecimal value;
  private int count;

  public ExponentialMovingAverage(int period, PriceField field) {
    this(period, field, Precision.divide(BigDecimal.valueOf(2), period + 1L));
  }

  private ExponentialMovingAverage(int period, PriceField field, BigDecimal k) {
    if (period < 1) {
      throw new IllegalArgumentException("period must be at least 1, not " + period);
    }
    this.period = period;
    this.field = field;
    this.k = k;
  }

  /** Wilder's moving average: {@code k = 1 / period}. */
  public static ExponentialMovingAverage wilder(int period, PriceField field) {
    return new ExponentialMovingAverage(period, field, Precision.divide(BigDecimal.ONE, period));
  }

  @Override
  public void update(Bar bar) {
    add(bar.get(field));
  }

  /** Takes a value that is not a bar field (RSI's gains and losses, ATR's true range). */
  void add(BigDecimal x) {
    value = value == null ? x : value.add(k.multiply(x.subtract(value)), Precision.CONTEXT);
    count++;
  }

  @Override
  public BigDecimal value() {
    return value;
  }

  @Override
  public boolean ready() {
    return count >= period;
  }
}
