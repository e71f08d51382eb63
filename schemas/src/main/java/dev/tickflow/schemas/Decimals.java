package dev.tickflow.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact decimal numbers as every contract carries them: Avro {@code decimal(38, 18)}.
 *
 * <p>18 fractional digits hold any crypto asset's smallest unit (ETH wei is 1e-18), 20 integer digits hold
 * any realistic price or volume. Nothing is ever rounded: a value that does not fit is rejected, so the
 * caller can route the record to the dead-letter topic with the reason.
 */
public final class Decimals {

  public static final int PRECISION = 38;
  public static final int SCALE = 18;

  private Decimals() {}

  /**
   * Parses a venue's number text exactly, at {@link #SCALE}.
   *
   * @throws NumberFormatException if the text is not a plain decimal number or does not fit decimal(38,18)
   *     without rounding
   */
  public static BigDecimal parse(String text) {
    if (text == null || text.isBlank()) {
      throw new NumberFormatException("number is missing");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new NumberFormatException("'" + text + "' is not a decimal number");
    }
    return exact(value);
  }

  /**
   * A computed value (a ratio, a stop distance) at {@link #SCALE}, rounded half-even: the one place where tickflow
   * rounds a value it derived rather than received.
   */
  public static BigDecimal rounded(BigDecimal value) {
    return value.setScale(SCALE, RoundingMode.HALF_EVEN);
  }

  /** Brings a value to {@link #SCALE} without rounding, or says why it cannot. */
  public static BigDecimal exact(BigDecimal value) {
    BigDecimal scaled;
    try {
      scaled = value.setScale(SCALE, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new NumberFormatException(
          "'" + value.toPlainString() + "' has more than " + SCALE + " decimal places");
    }
    if (scaled.precision() > PRECISION) {
      throw new NumberFormatException(
          "'" + value.toPlainString() + "' has more than " + (PRECISION - SCALE) + " integer digits");
    }
    return scaled;
  }

  /** The shortest exact text of a value, for people: {@code 0.001413420000000000} prints as {@code 0.00141342}. */
  public static String format(BigDecimal value) {
    if (value == null) {
      return "";
    }
    if (value.signum() == 0) {
      return "0";
    }
    return value.stripTrailingZeros().toPlainString();
  }
}
