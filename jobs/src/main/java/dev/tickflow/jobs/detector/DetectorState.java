package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.state.StateBytes;
import dev.tickflow.jobs.indicators.Indicator;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one detector instance remembers about one ticker: its indicators, each rule's memory, the last scores (a
 * signal needs the score to cross the threshold), when it last signalled (cooldown), and whether it is paused
 * after an error. Kept in Flink state as bytes ({@link #toBytes}): if a new build cannot read it, the instance
 * starts afresh and warms up again, which costs bars, not correctness.
 */
final class DetectorState implements Serializable {

  private static final long serialVersionUID = 1L;

  final int version;
  final Map<String, Indicator> indicators = new LinkedHashMap<>();
  final List<ConditionState> conditions = new ArrayList<>();
  BigDecimal lastLongScore = BigDecimal.ZERO;
  BigDecimal lastShortScore = BigDecimal.ZERO;
  long lastSignalAt = Long.MIN_VALUE;
  long bars;
  String pausedReason;

  private DetectorState(int version) {
    this.version = version;
  }

  static DetectorState fresh(DetectorConfig config) {
    DetectorState s = new DetectorState(config.version());
    config.indicators().forEach((name, spec) -> s.indicators.put(name, spec.create()));
    for (RuleSpec rule : config.rules()) {
      s.conditions.add(rule.condition().newState());
    }
    return s;
  }

  byte[] toBytes() {
    return StateBytes.write(this);
  }

  /** The state in {@code bytes}, or null when this build cannot read it. */
  static DetectorState fromBytes(byte[] bytes) {
    return StateBytes.read(bytes, DetectorState.class);
  }
}
