package dev.tickflow.jobs.detector;

import dev.tickflow.schemas.TickerPatterns;
import dev.tickflow.schemas.Timeframe;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One detector instance, as its config file says: which tickers and timeframe it watches, its named indicators,
 * its weighted rules, a score threshold per direction (null: that direction is off) and a cooldown between
 * signals. Immutable; {@link DetectorConfigs#parse} builds and validates it.
 *
 * @param source the config as normalised JSON: what is published to Kafka and what a replay re-reads
 */
public record DetectorConfig(String id, int version, List<String> tickers, Timeframe timeframe,
    Map<String, IndicatorSpec> indicators, List<RuleSpec> rules, BigDecimal longThreshold,
    BigDecimal shortThreshold, Duration cooldown, String source) implements Serializable {

  /** Whether the instance watches {@code ticker} ({@code EXCHANGE:BASE/QUOTE}); {@code *} matches any text. */
  public boolean watches(String ticker) {
    return TickerPatterns.anyMatches(tickers, ticker);
  }

  /** Whether a rule looks at CEP alerts: such an instance is judged once the watermark passed the bar. */
  public boolean usesPatterns() {
    return rules.stream().anyMatch(r -> r.condition() instanceof Condition.PatternMatched);
  }

  /** {@code id@version}, how logs and errors name the instance. */
  public String name() {
    return id + "@" + version;
  }
}
