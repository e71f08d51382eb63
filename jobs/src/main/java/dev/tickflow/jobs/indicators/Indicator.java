package dev.tickflow.jobs.indicators;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * An indicator fed one final bar at a time. Its state is the object itself, small and serializable, so it lives in
 * Flink keyed state per ticker, timeframe and detector instance.
 */
public interface Indicator extends Serializable {

  /** Takes the next bar. */
  void update(Bar bar);

  /** The value after the last bar; null when there is none (no bar yet, or nothing to divide by). */
  BigDecimal value();

  /** True once the indicator has seen enough bars for its value to mean what its name says. */
  boolean ready();
}
