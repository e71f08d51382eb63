package dev.tickflow.jobs.advisor;

import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.schemas.event.Direction;
import java.math.BigDecimal;

/** What synthesis proposes: direction, entry, protective stop, target, size, and the reasoning given. */
public record TradePlan(Direction direction, BigDecimal entry, BigDecimal stopLoss, BigDecimal takeProfit,
    BigDecimal amount, String model, String reasoning) {

  /** Reward over risk: |target - entry| / |entry - stop|; null when the stop is at the entry. */
  public BigDecimal rewardRisk() {
    BigDecimal risk = entry.subtract(stopLoss).abs();
    return risk.signum() == 0 ? null : Precision.divide(takeProfit.subtract(entry).abs(), risk);
  }
}
