package dev.tickflow.jobs.paper;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * How paper execution simulates the venue, with defaults; a trading config file ({@code paper:} section)
 * overrides them.
 *
 * @param feeBps taker fee in basis points of the notional, charged in the quote currency on every fill
 * @param slippageBps extra basis points a market order pays beyond crossing the spread
 * @param spreadWindowSeconds a taker buy and sell this close in time give the spread a market order crosses
 * @param snapshotIntervalSeconds event time between account snapshots ({@code metrics.snapshot})
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record PaperConfig(BigDecimal feeBps, BigDecimal slippageBps, Long spreadWindowSeconds,
    Long snapshotIntervalSeconds) implements Serializable {

  public PaperConfig {
    feeBps = feeBps == null ? BigDecimal.TEN : feeBps;
    slippageBps = slippageBps == null ? new BigDecimal("2") : slippageBps;
    spreadWindowSeconds = spreadWindowSeconds == null ? 300L : spreadWindowSeconds;
    snapshotIntervalSeconds = snapshotIntervalSeconds == null ? 3600L : snapshotIntervalSeconds;
    if (feeBps.signum() < 0 || slippageBps.signum() < 0 || snapshotIntervalSeconds <= 0) {
      throw new IllegalArgumentException("paper fees and slippage cannot be negative; snapshots need an interval");
    }
  }

  public static PaperConfig defaults() {
    return new PaperConfig(null, null, null, null);
  }
}
