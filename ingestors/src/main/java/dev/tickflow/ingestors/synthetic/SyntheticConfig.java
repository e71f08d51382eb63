package dev.tickflow.ingestors.synthetic;

import java.time.Instant;

/**
 * What the synthetic source generates.
 *
 * @param tickers how many instruments, named {@code SYNTH:S000/USD}, {@code SYNTH:S001/USD}, ...
 * @param tradesPerSecond average rate over all tickers, in event time
 * @param burstFactor during bursts (one second in ten) the rate is multiplied by this; 1 = no bursts
 * @param duplicateRatio share of emitted records that repeat an earlier trade exactly (0..0.5)
 * @param maxDisplacement how many positions a trade may arrive late relative to its order (0 = in order)
 * @param count how many distinct trades to generate
 */
public record SyntheticConfig(int tickers, double tradesPerSecond, double burstFactor, double duplicateRatio,
    int maxDisplacement, long count, long seed, Instant start) {

  public SyntheticConfig {
    if (tickers < 1 || tickers > 1000) {
      throw new IllegalArgumentException("tickers must be 1..1000, got " + tickers);
    }
    if (!(tradesPerSecond > 0)) {
      throw new IllegalArgumentException("trades per second must be positive, got " + tradesPerSecond);
    }
    if (!(burstFactor >= 1)) {
      throw new IllegalArgumentException("burst factor must be at least 1, got " + burstFactor);
    }
    if (!(duplicateRatio >= 0 && duplicateRatio <= 0.5)) {
      throw new IllegalArgumentException("duplicate ratio must be 0..0.5, got " + duplicateRatio);
    }
    if (maxDisplacement < 0 || maxDisplacement > 10_000) {
      throw new IllegalArgumentException("out-of-order displacement must be 0..10000, got " + maxDisplacement);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    start = start == null ? Instant.parse("2024-01-01T00:00:00Z") : start;
  }
}
