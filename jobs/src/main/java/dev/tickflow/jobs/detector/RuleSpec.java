package dev.tickflow.jobs.detector;

import java.io.Serializable;
import java.math.BigDecimal;

/** One rule of a detector: its condition, its weight, and the direction its weight counts for. */
public record RuleSpec(String id, Condition condition, BigDecimal weight, Side side) implements Serializable {

  /** Which score a fired rule adds to. */
  public enum Side {
    LONG, SHORT, BOTH;

    boolean counts(dev.tickflow.schemas.event.Direction d) {
      return this == BOTH || name().equals(d.name());
    }
  }
}
