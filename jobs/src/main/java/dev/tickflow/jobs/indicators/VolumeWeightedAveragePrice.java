package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;

/**
 * Rolling VWAP over the last {@code period} bars: sum(typical price x volume) / sum(volume). No value while the
 * window holds no volume (bars of minutes without trades).
 */
public final class VolumeWeightedAveragePrice implements Indicator {

  private static final long serialVersionUID = 1L;

  private final RollingWindow weighted;
  private final RollingWindow volumes;

  public VolumeWeightedAveragePrice(int period) {
    weighted = new RollingWindow(period);
    volumes = new RollingWindow(period);
  }

  @Override
  public void update(Bar bar) {
    weighted.add(bar.typical().multiply(bar.volume()));
    volumes.add(bar.volume());
  }

  @Override
  public BigDecimal value() {
    return volumes.count() == 0 || volumes.sum().signum() == 0 ? null : Precision.divide(weighted.sum(), volumes.sum());
  }

  @Override
  public boolean ready() {
    return volumes.full();
  }
}
