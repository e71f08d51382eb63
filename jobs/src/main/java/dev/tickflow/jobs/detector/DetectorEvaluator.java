package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One final bar through one detector instance: indicators move, every rule is judged, the weighted score of each
 * direction is summed, and a signal comes out when a score crosses its threshold from below outside the cooldown.
 * If both directions cross on the same bar, the higher score wins; a tie signals nothing. Pure: the same bars give
 * the same signals, ids included.
 */
final class DetectorEvaluator {

  private DetectorEvaluator() {}

  static Optional<Signal> evaluate(DetectorConfig config, DetectorState state, Candle candle) {
    return evaluate(config, state, candle, PatternMatches.NONE);
  }

  static Optional<Signal> evaluate(DetectorConfig config, DetectorState state, Candle candle,
      PatternMatches patterns) {
    Bar bar = Bar.of(candle);
    state.indicators.values().forEach(i -> i.update(bar));
    List<Check> checks = new ArrayList<>(config.rules().size());
    for (int i = 0; i < config.rules().size(); i++) {
      checks.add(state.conditions.get(i).evaluate(bar, state.indicators, patterns));
    }
    state.bars++;
    BigDecimal longScore = score(config, checks, Direction.LONG);
    BigDecimal shortScore = score(config, checks, Direction.SHORT);
    boolean longCrossed = crossed(config.longThreshold(), state.lastLongScore, longScore);
    boolean shortCrossed = crossed(config.shortThreshold(), state.lastShortScore, shortScore);
    state.lastLongScore = longScore;
    state.lastShortScore = shortScore;
    Direction direction;
    if (longCrossed && shortCrossed) {
      int c = longScore.compareTo(shortScore);
      direction = c > 0 ? Direction.LONG : c < 0 ? Direction.SHORT : null;
    } else {
      direction = longCrossed ? Direction.LONG : shortCrossed ? Direction.SHORT : null;
    }
    long at = candle.getCloseTime().toEpochMilli();
    if (direction == null || (state.lastSignalAt != Long.MIN_VALUE
        && at - state.lastSignalAt < config.cooldown().toMillis())) {
      return Optional.empty();
    }
    state.lastSignalAt = at;
    return Optional.of(signal(config, candle, checks, direction,
        direction == Direction.LONG ? longScore : shortScore,
        direction == Direction.LONG ? config.longThreshold() : config.shortThreshold()));
  }

  /**
   * The signal's id: the same detector version, ticker, timeframe, bar and direction always give the same id, so
   * a replay produces the same ids and a sink can drop the copies of an at-least-once path.
   */
  static String signalId(DetectorConfig config, Candle candle, Direction direction) {
    String key = config.id() + "|" + config.version() + "|" + Ticker.key(candle.getExchange(), candle.getBase(),
        candle.getQuote()) + "|" + candle.getTimeframe() + "|" + candle.getOpenTime().toEpochMilli() + "|" + direction;
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static BigDecimal score(DetectorConfig config, List<Check> checks, Direction d) {
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < checks.size(); i++) {
      RuleSpec rule = config.rules().get(i);
      if (checks.get(i).fired() && rule.side().counts(d)) {
        total = total.add(rule.weight());
      }
    }
    return total;
  }

  private static boolean crossed(BigDecimal threshold, BigDecimal before, BigDecimal now) {
    return threshold != null && now.compareTo(threshold) >= 0 && before.compareTo(threshold) < 0;
  }

  private static Signal signal(DetectorConfig config, Candle candle, List<Check> checks, Direction direction,
      BigDecimal score, BigDecimal threshold) {
    List<RuleContribution> rules = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      RuleSpec rule = config.rules().get(i);
      Check check = checks.get(i);
      boolean counts = check.fired() && rule.side().counts(direction);
      rules.add(RuleContribution.newBuilder().setRule(rule.id()).setFired(check.fired())
          .setWeight(Decimals.exact(rule.weight()))
          .setScore(Decimals.exact(counts ? rule.weight() : BigDecimal.ZERO))
          .setDetail(check.detail() + (check.fired() && !counts ? " (counts for " + rule.side().name().toLowerCase(
              java.util.Locale.ROOT) + " only)" : ""))
          .setInputs(check.inputs())
          .build());
    }
    return Signal.newBuilder()
        .setSignalId(signalId(config, candle, direction))
        .setExchange(candle.getExchange()).setBase(candle.getBase()).setQuote(candle.getQuote())
        .setTimeframe(candle.getTimeframe())
        .setDirection(direction)
        .setScore(Decimals.exact(score))
        .setPrice(candle.getClose())
        .setRules(rules)
        .setEventTime(candle.getCloseTime())
        .setIngestTime(candle.getIngestTime())
        .setSource(candle.getSource())
        .setDetectorId(config.id())
        .setDetectorVersion(config.version())
        .setThreshold(Decimals.exact(threshold))
        .build();
  }
}
