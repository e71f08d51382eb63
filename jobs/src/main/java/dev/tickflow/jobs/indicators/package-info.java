/**
 * Incremental technical indicators over final bars, exact decimals in and out.
 *
 * <p>Precision rule: sums, differences, minima and maxima are exact; every division, multiplication by a
 * non-integer factor and square root is rounded to {@link dev.tickflow.jobs.indicators.Precision#CONTEXT} (34
 * significant digits, half-even, IEEE 754 decimal128), and recursive values (EMA, Wilder averages) are rounded
 * to it at every step so their state stays small. Values are reported at 34 significant digits and stored at
 * the schema's scale of 18 decimal places. ta4j (the reference in tests) computes with 32 digits and takes the
 * EMA multiplier through a {@code double}, so the two agree to 12 significant digits, not to the last digit.
 */
package dev.tickflow.jobs.indicators;
