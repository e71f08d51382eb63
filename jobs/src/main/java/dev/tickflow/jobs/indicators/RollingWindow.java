package dev.tickflow.jobs.indicators;

import java.io.Serializable;
import java.math.BigDecimal;

/** The last {@code size} values with their exact sum: a ring, so each bar costs O(1). */
final class RollingWindow implements Serializable {

  private static final long serialVersionUID = 1L;

  private final BigDecimal[] values;
  private int next;
  private int count;
  private BigDecimal sum = BigDecimal.ZERO;

  RollingWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a window needs at least one value, not " + size);
    }
    values = new BigDecimal[size];
  }

  /** Adds a value, dropping the oldest when full; returns the dropped one or null. */
  BigDecimal add(BigDecimal v) {
    BigDecimal dropped = count == values.length ? values[next] : null;
    if (dropped != null) {
      sum = sum.subtract(dropped);
    } else {
      count++;
    }
    values[next] = v;
    sum = sum.add(v);
    next = (next + 1) % values.length;
    return dropped;
  }

  int count() {
    return count;
  }

  boolean full() {
    return count == values.length;
  }

  BigDecimal sum() {
    return sum;
  }

  /** The i-th value, oldest first. */
  BigDecimal get(int i) {
    int start = count == values.length ? next : 0;
    return values[(start + i) % values.length];
  }

  BigDecimal max() {
    BigDecimal m = null;
    for (int i = 0; i < count; i++) {
      m = m == null || values[i].compareTo(m) > 0 ? values[i] : m;
    }
    return m;
  }

  BigDecimal min() {
    BigDecimal m = null;
    for (int i = 0; i < count; i++) {
      m = m == null || values[i].compareTo(m) < 0 ? values[i] : m;
    }
    return m;
  }
}
