package dev.tickflow.jobs.advisor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The advisor's thresholds and plan parameters, with defaults; a trading config file ({@code advisor:} section)
 * overrides any of them. Ratios are fractions ({@code 0.004} is 0.4%).
 *
 * @param account the account intents are for
 * @param maxDataAgeSeconds market quality: the newest trade may be at most this old at the signal
 * @param gateMaxSpread market quality: a wider spread means no tradeable market
 * @param maxSpreadRange market quality: spread stability, widest minus narrowest of the recent spread readings
 * @param minBarVolume market quality: the signal bar must have traded at least this much (base asset)
 * @param spreadWindowSeconds how close in time a taker buy and a taker sell must be to estimate the spread
 * @param maxQuoteAgeSeconds a book quote older than this no longer gives the spread
 * @param detectorWeight share of the detector's strength in conviction; the rest is the independent evaluation
 * @param atrPeriod bars of the average true range used for volatility, stops and targets
 * @param stopAtr stop-loss distance in ATRs
 * @param takeProfitAtr take-profit distance in ATRs
 * @param riskBudget quote-currency amount a plan risks at conviction 1 (position size = budget x conviction /
 *     stop distance)
 * @param amountScale decimal places of a position size (sizes are rounded down)
 * @param highVolatility ATR / close at or above which the regime is high_vol
 * @param trendAtr |close - SMA(20)| in ATRs at or above which the regime is trend
 * @param maxSpread decision validation: block above this spread (at exactly this it passes)
 * @param minRewardRisk decision validation: block below this reward/risk (at exactly this it passes)
 * @param minConviction decision validation: block below this calibrated conviction
 * @param maxEntryDeviation an external model's entry may differ from the market by at most this fraction
 * @param minCalibrationSamples outcomes a regime needs before a fitted calibration replaces the identity
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AdvisorConfig(
    String account,
    Long maxDataAgeSeconds,
    BigDecimal gateMaxSpread,
    BigDecimal maxSpreadRange,
    BigDecimal minBarVolume,
    Long spreadWindowSeconds,
    Long maxQuoteAgeSeconds,
    BigDecimal detectorWeight,
    Integer atrPeriod,
    BigDecimal stopAtr,
    BigDecimal takeProfitAtr,
    BigDecimal riskBudget,
    Integer amountScale,
    BigDecimal highVolatility,
    BigDecimal trendAtr,
    BigDecimal maxSpread,
    BigDecimal minRewardRisk,
    BigDecimal minConviction,
    BigDecimal maxEntryDeviation,
    Integer minCalibrationSamples) implements Serializable {

  public AdvisorConfig {
    account = account == null || account.isBlank() ? "paper" : account.trim();
    maxDataAgeSeconds = maxDataAgeSeconds == null ? 600L : maxDataAgeSeconds;
    gateMaxSpread = or(gateMaxSpread, "0.01");
    maxSpreadRange = or(maxSpreadRange, "0.01");
    minBarVolume = or(minBarVolume, "0");
    spreadWindowSeconds = spreadWindowSeconds == null ? 300L : spreadWindowSeconds;
    maxQuoteAgeSeconds = maxQuoteAgeSeconds == null ? 10L : maxQuoteAgeSeconds;
    detectorWeight = or(detectorWeight, "0.6");
    atrPeriod = atrPeriod == null ? 14 : atrPeriod;
    stopAtr = or(stopAtr, "1.5");
    takeProfitAtr = or(takeProfitAtr, "3");
    riskBudget = or(riskBudget, "100");
    amountScale = amountScale == null ? 8 : amountScale;
    highVolatility = or(highVolatility, "0.005");
    trendAtr = or(trendAtr, "1");
    maxSpread = or(maxSpread, "0.004");
    minRewardRisk = or(minRewardRisk, "1.2");
    minConviction = or(minConviction, "0.5");
    maxEntryDeviation = or(maxEntryDeviation, "0.01");
    minCalibrationSamples = minCalibrationSamples == null ? 30 : minCalibrationSamples;
    if (detectorWeight.signum() < 0 || detectorWeight.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("advisor.detectorWeight must be in [0, 1], not " + detectorWeight);
    }
    if (stopAtr.signum() <= 0 || takeProfitAtr.signum() <= 0 || riskBudget.signum() <= 0) {
      throw new IllegalArgumentException("advisor.stopAtr, takeProfitAtr and riskBudget must be positive");
    }
    if (atrPeriod < 1 || amountScale < 0 || amountScale > 18) {
      throw new IllegalArgumentException("advisor.atrPeriod must be >= 1 and amountScale in [0, 18]");
    }
  }

  /** All defaults. */
  public static AdvisorConfig defaults() {
    return new AdvisorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null);
  }

  static BigDecimal or(BigDecimal value, String fallback) {
    return value == null ? new BigDecimal(fallback) : value;
  }
}
