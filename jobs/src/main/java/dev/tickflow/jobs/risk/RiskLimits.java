package dev.tickflow.jobs.risk;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * The risk governor's policy for every account it guards, with defaults; a trading config file ({@code risk:}
 * section) overrides any of them. Fractions are of the account's equity at the intent.
 *
 * @param startingEquity equity of a new (paper) account, in its currency
 * @param currency the account's currency; empty: the quote currency of its first intent. Intents quoted in
 *     another currency are blocked (no conversion rates are assumed)
 * @param maxPositionFraction one position's notional at most this share of equity (larger: THROTTLE)
 * @param maxExposureFraction all open notional at most this share of equity (larger: THROTTLE, none left: BLOCK)
 * @param maxSessionDrawdown fall from the session's peak equity that stands the account down for the session
 * @param maxConsecutiveLosses losing trades in a row that stand the account down
 * @param lossCooldownSeconds after a loss, new entries wait this long (BLOCK)
 * @param tradingWindows UTC time-of-day windows {@code HH:MM-HH:MM} new entries are allowed in; empty: always
 * @param maxCorrelatedPositions open positions in one correlation group and direction at most
 * @param correlationGroups ticker glob (e.g. {@code *:*\/ETH}) to group name; a ticker in no group is grouped by
 *     its quote currency
 * @param amountScale decimal places of a throttled size (rounded down)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record RiskLimits(
    BigDecimal startingEquity,
    String currency,
    BigDecimal maxPositionFraction,
    BigDecimal maxExposureFraction,
    BigDecimal maxSessionDrawdown,
    Integer maxConsecutiveLosses,
    Long lossCooldownSeconds,
    List<String> tradingWindows,
    Integer maxCorrelatedPositions,
    Map<String, String> correlationGroups,
    Integer amountScale) implements Serializable {

  public RiskLimits {
    startingEquity = startingEquity == null ? new BigDecimal("10000") : startingEquity;
    currency = currency == null ? "" : currency.trim();
    maxPositionFraction = maxPositionFraction == null ? new BigDecimal("0.2") : maxPositionFraction;
    maxExposureFraction = maxExposureFraction == null ? new BigDecimal("0.5") : maxExposureFraction;
    maxSessionDrawdown = maxSessionDrawdown == null ? new BigDecimal("0.05") : maxSessionDrawdown;
    maxConsecutiveLosses = maxConsecutiveLosses == null ? 3 : maxConsecutiveLosses;
    lossCooldownSeconds = lossCooldownSeconds == null ? 900L : lossCooldownSeconds;
    tradingWindows = tradingWindows == null ? List.of() : List.copyOf(tradingWindows);
    maxCorrelatedPositions = maxCorrelatedPositions == null ? 2 : maxCorrelatedPositions;
    correlationGroups = correlationGroups == null ? Map.of() : Map.copyOf(correlationGroups);
    amountScale = amountScale == null ? 8 : amountScale;
    if (startingEquity.signum() <= 0) {
      throw new IllegalArgumentException("risk.startingEquity must be positive");
    }
    for (BigDecimal f : List.of(maxPositionFraction, maxExposureFraction, maxSessionDrawdown)) {
      if (f.signum() <= 0) {
        throw new IllegalArgumentException("risk fractions must be positive, not " + f.toPlainString());
      }
    }
    for (String w : tradingWindows) {
      window(w); // fail at load, not at the first intent
    }
  }

  public static RiskLimits defaults() {
    return new RiskLimits(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** One {@code HH:MM-HH:MM} window as [from, to); a window past midnight ({@code 22:00-02:00}) wraps. */
  static LocalTime[] window(String text) {
    String[] parts = text.split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("trading window '" + text + "' is not HH:MM-HH:MM");
    }
    try {
      return new LocalTime[] {LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim())};
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("trading window '" + text + "' is not HH:MM-HH:MM");
    }
  }
}
