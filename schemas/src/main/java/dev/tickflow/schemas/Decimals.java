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

  /**
   * Brings a value to {@link #SCALE} without rounding, or says why it cannot. The bounds are checked on the
   * value's precision and scale before anything is scaled or printed: a hostile "1e999999999" or "1e-999999999"
   * would otherwise make {@code setScale} or {@code toPlainString} build a billion digits.
   */
  public static BigDecimal exact(BigDecimal value) {
    // Only a value with more places than SCALE needs its trailing zeros stripped to fit; stripping changes neither
    // the value nor its count of integer digits, and it is a division by ten per zero, on every price and amount.
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO
        : value.scale() <= SCALE ? value : value.stripTrailingZeros();
    long integerDigits = (long) stripped.precision() - stripped.scale();
    if (stripped.scale() > SCALE) {
      throw new NumberFormatException("'" + shortText(value) + "' has more than " + SCALE + " decimal places");
    }
    if (integerDigits > PRECISION - SCALE) {
      throw new NumberFormatException(
          "'" + shortText(value) + "' has more than " + (PRECISION - SCALE) + " integer digits");
    }
    return stripped.setScale(SCALE, RoundingMode.UNNECESSARY);
  }

  /** A value for an error message: scientific notation, cut to a readable length. */
  private static String shortText(BigDecimal value) {
    String text = value.toString();
    return text.length() <= 60 ? text : text.substring(0, 40) + "...(" + value.precision() + " digits, scale "
        + value.scale() + ")";
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
