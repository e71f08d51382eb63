package dev.tickflow.ingestors.exchange;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One candle as a venue publishes it (CCXT's {@code fetchOHLCV} row), exact: open time, open, high, low, close and
 * base volume, plus the trade count when the venue gives one (else -1).
 */
public record Ohlcv(Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
    BigDecimal volume, long tradeCount) {

  public Ohlcv {
    Objects.requireNonNull(openTime, "openTime");
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(high, "high");
    Objects.requireNonNull(low, "low");
    Objects.requireNonNull(close, "close");
    Objects.requireNonNull(volume, "volume");
  }
}
