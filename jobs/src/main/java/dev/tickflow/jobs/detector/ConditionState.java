package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.Indicator;
import java.io.Serializable;
import java.util.Map;

/**
 * A condition's memory on one ticker (previous values for a cross, a streak, the window before this bar), kept in
 * keyed state with the instance. {@link #evaluate} judges the bar, then moves the memory past it.
 */
interface ConditionState extends Serializable {

  Check evaluate(Bar bar, Map<String, Indicator> indicators);

  /** The same, for conditions that look at CEP alerts too; the others ignore them. */
  default Check evaluate(Bar bar, Map<String, Indicator> indicators, PatternMatches patterns) {
    return evaluate(bar, indicators);
  }
}
