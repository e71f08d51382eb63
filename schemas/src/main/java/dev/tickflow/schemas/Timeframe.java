package dev.tickflow.schemas;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Candle timeframes. Bars are aligned to UTC epoch boundaries: a bar opens at {@code floor(t / length) * length}. */
public enum Timeframe {
  M1("1m", Duration.ofMinutes(1)),
  M5("5m", Duration.ofMinutes(5)),
  M15("15m", Duration.ofMinutes(15)),
  H1("1h", Duration.ofHours(1)),
  H4("4h", Duration.ofHours(4)),
  D1("1d", Duration.ofDays(1));

  private final String label;
  private final long millis;

  Timeframe(String label, Duration length) {
    this.label = label;
    this.millis = length.toMillis();
  }

  /** As written in topics and tables: {@code 1m}, {@code 1h}. */
  public String label() {
    return label;
  }

  public long millis() {
    return millis;
  }

  /** Open time of the bar that contains {@code epochMillis}. */
  public long barOpen(long epochMillis) {
    return Math.floorDiv(epochMillis, millis) * millis;
  }

  /** The relay data type of candles at this timeframe, e.g. {@code ohlc:1m}. */
  public String relayDataType() {
    return "ohlc:" + label;
  }

  public static Timeframe parse(String label) {
    return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("timeframe '" + label + "' is not one of "
            + Arrays.stream(values()).map(Timeframe::label).collect(Collectors.joining(", "))));
  }
}
