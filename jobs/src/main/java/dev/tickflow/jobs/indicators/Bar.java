package dev.tickflow.jobs.indicators;

import dev.tickflow.schemas.event.Candle;
import java.io.Serializable;
import java.math.BigDecimal;

/** One final bar, as indicators and rules see it. */
public record Bar(long openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
    BigDecimal volume) implements Serializable {

  private static final BigDecimal THREE = BigDecimal.valueOf(3);

  public static Bar of(Candle c) {
    return new Bar(c.getOpenTime().toEpochMilli(), c.getOpen(), c.getHigh(), c.getLow(), c.getClose(),
        c.getVolume());
  }

  /** (high + low + close) / 3, the price VWAP weighs. */
  public BigDecimal typical() {
    return high.add(low).add(close).divide(THREE, Precision.CONTEXT);
  }

  /** The value of one of the bar's fields. */
  public BigDecimal get(PriceField field) {
    return switch (field) {
      case OPEN -> open;
      case HIGH -> high;
      case LOW -> low;
      case CLOSE -> close;
      case VOLUME -> volume;
      case TYPICAL -> typical();
    };
  }
}
