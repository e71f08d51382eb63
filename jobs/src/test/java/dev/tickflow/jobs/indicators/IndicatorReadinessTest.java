package dev.tickflow.jobs.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class IndicatorReadinessTest {

  private static Bar bar(int i, String close, String volume) {
    BigDecimal c = new BigDecimal(close);
    return new Bar(i * 60_000L, c, c, c, c, new BigDecimal(volume));
  }

  @Test
  void anIndicatorIsReadyOnceItHasSeenItsPeriod() {
    SimpleMovingAverage sma = new SimpleMovingAverage(3, PriceField.CLOSE);
    RelativeStrengthIndex rsi = new RelativeStrengthIndex(3, PriceField.CLOSE);
    assertThat(sma.value()).isNull();
    assertThat(rsi.value()).isNull();
    for (int i = 0; i < 3; i++) {
      assertThat(sma.ready()).isFalse();
      sma.update(bar(i, "1." + i, "1"));
      rsi.update(bar(i, "1." + i, "1"));
    }
    assertThat(sma.ready()).isTrue();
    assertThat(sma.value()).isEqualByComparingTo("1.1");
    assertThat(rsi.ready()).as("RSI needs period changes, so one bar more").isFalse();
    rsi.update(bar(3, "1.3", "1"));
    assertThat(rsi.ready()).isTrue();
    assertThat(rsi.value()).as("only gains").isEqualByComparingTo("100");
  }

  @Test
  void vwapHasNoValueWhileItsWindowHoldsNoVolume() {
    VolumeWeightedAveragePrice vwap = new VolumeWeightedAveragePrice(2);
    vwap.update(bar(0, "2", "0"));
    assertThat(vwap.value()).isNull();
    vwap.update(bar(1, "4", "3"));
    assertThat(vwap.value()).isEqualByComparingTo("4");
    vwap.update(bar(2, "1", "1"));
    assertThat(vwap.value()).isEqualByComparingTo("3.25");
  }

  @Test
  void derivedValuesKeepThirtyFourSignificantDigits() {
    SimpleMovingAverage sma = new SimpleMovingAverage(3, PriceField.CLOSE);
    sma.update(bar(0, "1", "1"));
    sma.update(bar(1, "1", "1"));
    sma.update(bar(2, "2", "1"));
    assertThat(sma.value().precision()).isEqualTo(34);
    assertThat(sma.value()).isEqualTo(new BigDecimal("1.333333333333333333333333333333333"));
  }
}
