package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.indicators.AverageTrueRange;
import dev.tickflow.jobs.indicators.BollingerBand;
import dev.tickflow.jobs.indicators.ExponentialMovingAverage;
import dev.tickflow.jobs.indicators.Indicator;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.jobs.indicators.RelativeStrengthIndex;
import dev.tickflow.jobs.indicators.RollingExtreme;
import dev.tickflow.jobs.indicators.SimpleMovingAverage;
import dev.tickflow.jobs.indicators.VolumeWeightedAveragePrice;
import java.io.Serializable;
import java.math.BigDecimal;

/** A named indicator of a detector instance, e.g. {@code ema_fast: {type: ema, period: 9}}. */
public record IndicatorSpec(Type type, int period, PriceField field, BigDecimal k, BollingerBand.Band band)
    implements Serializable {

  /** The indicators a config can name, as config {@code type}s. */
  public enum Type { SMA, EMA, RSI, ATR, BOLLINGER, VWAP, VOLUME_AVERAGE, HIGHEST, LOWEST }

  /** A fresh instance, no bars seen. */
  public Indicator create() {
    return switch (type) {
      case SMA -> new SimpleMovingAverage(period, field);
      case EMA -> new ExponentialMovingAverage(period, field);
      case RSI -> new RelativeStrengthIndex(period, field);
      case ATR -> new AverageTrueRange(period);
      case BOLLINGER -> new BollingerBand(period, k, band, field);
      case VWAP -> new VolumeWeightedAveragePrice(period);
      case VOLUME_AVERAGE -> new SimpleMovingAverage(period, PriceField.VOLUME);
      case HIGHEST -> RollingExtreme.highest(period, field);
      case LOWEST -> RollingExtreme.lowest(period, field);
    };
  }

  /** The field an indicator reads when the config does not say. */
  static PriceField defaultField(Type type) {
    return switch (type) {
      case HIGHEST -> PriceField.HIGH;
      case LOWEST -> PriceField.LOW;
      case VOLUME_AVERAGE -> PriceField.VOLUME;
      case VWAP, ATR -> PriceField.TYPICAL;
      default -> PriceField.CLOSE;
    };
  }
}
