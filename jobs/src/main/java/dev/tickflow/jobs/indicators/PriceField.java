package dev.tickflow.jobs.indicators;

import java.util.Locale;

/** Which value of a bar an indicator reads. */
public enum PriceField {
  OPEN, HIGH, LOW, CLOSE, VOLUME, TYPICAL;

  public static PriceField parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not a bar field (open, high, low, close, volume, typical)");
    }
  }
}
