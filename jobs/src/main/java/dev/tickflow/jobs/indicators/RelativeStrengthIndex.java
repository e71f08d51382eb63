package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/**
 * Wilder's RSI: 100 - 100 / (1 + average gain / average loss), both averages Wilder-smoothed from the first bar
 * (gain and loss of the first bar are 0). No loss: 100, or 0 when there was no gain either.
 */
public final class RelativeStrengthIndex implements Indicator {

  private static final long serialVersionUID = 1L;
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final PriceField field;
  private final int period;
  private final ExponentialMovingAverage gains;
  private final ExponentialMovingAverage losses;
  private BigDecimal previous;
  private int count;

  public RelativeStrengthIndex(int period, PriceField field) {
    this.field = field;
    this.period = period;
    this.gains = ExponentialMovingAverage.wilder(period, field);
    this.losses = ExponentialMovingAverage.wilder(period, field);
  }

  @Override
  public void update(Bar bar) {
    BigDecimal x = bar.get(field);
    BigDecimal change = previous == null ? BigDecimal.ZERO : x.subtract(previous);
    gains.add(change.signum() > 0 ? change : BigDecimal.ZERO);
    losses.add(change.signum() < 0 ? change.negate() : BigDecimal.ZERO);
    previous = x;
    count++;
  }

  @Override
  public BigDecimal value() {
    if (count == 0) {
      return null;
    }
    BigDecimal gain = gains.value();
    BigDecimal loss = losses.value();
    if (loss.signum() == 0) {
      return gain.signum() == 0 ? BigDecimal.ZERO : HUNDRED;
    }
    BigDecimal rs = Precision.divide(gain, loss);
    return HUNDRED.subtract(Precision.divide(HUNDRED, BigDecimal.ONE.add(rs)));
  }

  @Override
  public boolean ready() {
    return count > period; // period changes need period + 1 bars
  }
}
