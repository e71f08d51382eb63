package dev.tickflow.ingestors.binance;

import java.time.Instant;

/**
 * Binance timestamps: epoch milliseconds, except spot public-data files from 2025 on, which carry microseconds.
 * Told apart by size: any date before the year 5000 in milliseconds has at most 14 digits, in microseconds 16.
 */
final class BinanceTimes {

  private static final long MICROS_FROM = 100_000_000_000_000L; // 1e14: ms would be the year 5138

  private BinanceTimes() {}

  /** The instant, or null if the text is not a non-negative integer. */
  static Instant parse(String text) {
    if (text == null || !text.matches("\\d{1,19}")) {
      return null;
    }
    long v;
    try {
      v = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
    return v >= MICROS_FROM ? Instant.ofEpochSecond(v / 1_000_000, (v % 1_000_000) * 1_000) : Instant.ofEpochMilli(v);
  }
}
