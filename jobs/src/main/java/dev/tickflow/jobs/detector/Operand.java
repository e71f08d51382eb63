package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.Indicator;
import dev.tickflow.jobs.indicators.PriceField;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Map;

/**
 * What a rule compares: an indicator of the instance by name, a field of the bar ({@code close}, ...), or a
 * number. {@link #valueOf} is null when the value is not there yet (an indicator not ready).
 */
public record Operand(String name, PriceField field, BigDecimal literal) implements Serializable {

  static Operand indicator(String name) {
    return new Operand(name, null, null);
  }

  static Operand field(PriceField field) {
    return new Operand(field.name().toLowerCase(java.util.Locale.ROOT), field, null);
  }

  static Operand literal(BigDecimal value) {
    return new Operand(value.toPlainString(), null, value);
  }

  boolean isIndicator() {
    return field == null && literal == null;
  }

  BigDecimal valueOf(Bar bar, Map<String, Indicator> indicators) {
    if (literal != null) {
      return literal;
    }
    if (field != null) {
      return bar.get(field);
    }
    Indicator i = indicators.get(name);
    return i == null || !i.ready() ? null : i.value();
  }

  @Override
  public String toString() {
    return name;
  }
}
