package dev.tickflow.jobs.indicators;

import java.math.BigDecimal;
import java.math.MathContext;

/** The one precision rule of derived values; see the package documentation. */
public final class Precision {

  /** 34 significant digits, half-even: IEEE 754 decimal128. */
  public static final MathContext CONTEXT = MathContext.DECIMAL128;

  private Precision() {}

  public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    return dividend.divide(divisor, CONTEXT);
  }

  public static BigDecimal divide(BigDecimal dividend, long divisor) {
    return dividend.divide(BigDecimal.valueOf(divisor), CONTEXT);
  }
}
