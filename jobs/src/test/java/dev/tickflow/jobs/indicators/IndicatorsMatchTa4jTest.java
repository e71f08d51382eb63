package dev.tickflow.jobs.indicators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.jobs.marketdata.BinanceKlines;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsLowerIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.helpers.HighPriceIndicator;
import org.ta4j.core.indicators.helpers.HighestValueIndicator;
import org.ta4j.core.indicators.helpers.LowPriceIndicator;
import org.ta4j.core.indicators.helpers.LowestValueIndicator;
import org.ta4j.core.indicators.helpers.VolumeIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.indicators.volume.VWAPIndicator;
import org.ta4j.core.num.DecimalNum;
import org.ta4j.core.num.Num;

/**
 * Every incremental indicator against ta4j on Binance's own XRP/ETH klines: the bundled 12 hours (720 bars) and,
 * when ../shared is beside the checkout, the whole 2.5 days. They must agree to 12 significant digits on every bar
 * (the package's precision rule says why not to the last digit) and agree exactly on which bars have a value.
 */
class IndicatorsMatchTa4jTest {

  /** 12 significant digits. */
  private static final MathContext AGREED = new MathContext(12);

  record Case(String name, Supplier<Indicator> ours, Function<BarSeries, org.ta4j.core.Indicator<Num>> theirs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("SMA(20) close", () -> new SimpleMovingAverage(20, PriceField.CLOSE),
            s -> new SMAIndicator(new ClosePriceIndicator(s), 20)),
        new Case("EMA(9) close", () -> new ExponentialMovingAverage(9, PriceField.CLOSE),
            s -> new EMAIndicator(new ClosePriceIndicator(s), 9)),
        new Case("EMA(50) close", () -> new ExponentialMovingAverage(50, PriceField.CLOSE),
            s -> new EMAIndicator(new ClosePriceIndicator(s), 50)),
        new Case("RSI(14) close", () -> new RelativeStrengthIndex(14, PriceField.CLOSE),
            s -> new RSIIndicator(new ClosePriceIndicator(s), 14)),
        new Case("ATR(14)", () -> new AverageTrueRange(14), s -> new ATRIndicator(s, 14)),
        new Case("Bollinger(20, 2) upper", () -> new BollingerBand(20, BigDecimal.valueOf(2),
            BollingerBand.Band.UPPER, PriceField.CLOSE), s -> bollinger(s, 1)),
        new Case("Bollinger(20, 2) middle", () -> new BollingerBand(20, BigDecimal.valueOf(2),
            BollingerBand.Band.MIDDLE, PriceField.CLOSE), s -> bollinger(s, 0)),
        new Case("Bollinger(20, 2) lower", () -> new BollingerBand(20, BigDecimal.valueOf(2),
            BollingerBand.Band.LOWER, PriceField.CLOSE), s -> bollinger(s, -1)),
        new Case("VWAP(30)", () -> new VolumeWeightedAveragePrice(30), s -> new VWAPIndicator(s, 30)),
        new Case("volume average(20)", () -> new SimpleMovingAverage(20, PriceField.VOLUME),
            s -> new SMAIndicator(new VolumeIndicator(s), 20)),
        new Case("20-bar high", () -> RollingExtreme.highest(20, PriceField.HIGH),
            s -> new HighestValueIndicator(new HighPriceIndicator(s), 20)),
        new Case("20-bar low", () -> RollingExtreme.lowest(20, PriceField.LOW),
            s -> new LowestValueIndicator(new LowPriceIndicator(s), 20)));
  }

  static Stream<Arguments> samples() throws Exception {
    List<Arguments> out = new ArrayList<>();
    List<Bar> bundled = bars(SampleData.open(SampleData.KLINES_1M));
    Path shared = Path.of("../../shared/data/binance-xrpeth-2019/XRP_ETH-1m.json");
    List<Bar> whole = Files.exists(shared) ? bars(Files.newInputStream(shared)) : null;
    for (Case c : cases()) {
      out.add(Arguments.of(c, "bundled 12 h", bundled));
      if (whole != null) {
        out.add(Arguments.of(c, "shared 2.5 days", whole));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("samples")
  void agreesWithTa4jOnEveryBar(Case c, String sample, List<Bar> bars) {
    BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DecimalNum.class).build();
    for (Bar b : bars) {
      series.addBar(Duration.ofMinutes(1), Instant.ofEpochMilli(b.openTime() + 60_000).atZone(ZoneOffset.UTC),
          b.open(), b.high(), b.low(), b.close(), b.volume());
    }
    org.ta4j.core.Indicator<Num> reference = c.theirs().apply(series);
    Indicator ours = c.ours().get();
    int compared = 0;
    for (int i = 0; i < bars.size(); i++) {
      ours.update(bars.get(i));
      Num expected = reference.getValue(i);
      BigDecimal actual = ours.value();
      if (expected.isNaN()) {
        assertThat(actual).as("bar %d: ta4j has no value", i).isNull();
        continue;
      }
      assertThat(actual).as("bar %d", i).isNotNull();
      assertThat(actual.round(AGREED)).as("%s, bar %d (%s)", c, i, bars.get(i))
          .isEqualByComparingTo(((BigDecimal) expected.getDelegate()).round(AGREED));
      compared++;
    }
    assertThat(compared).isGreaterThan(bars.size() / 2);
  }

  private static org.ta4j.core.Indicator<Num> bollinger(BarSeries s, int band) {
    ClosePriceIndicator close = new ClosePriceIndicator(s);
    BollingerBandsMiddleIndicator middle = new BollingerBandsMiddleIndicator(new SMAIndicator(close, 20));
    StandardDeviationIndicator deviation = new StandardDeviationIndicator(close, 20);
    Num k = DecimalNum.valueOf(2);
    return band > 0 ? new BollingerBandsUpperIndicator(middle, deviation, k)
        : band < 0 ? new BollingerBandsLowerIndicator(middle, deviation, k) : middle;
  }

  private static List<Bar> bars(InputStream json) throws Exception {
    List<Bar> bars = new ArrayList<>();
    for (BinanceKlines.Kline k : BinanceKlines.read(json).byOpenTime().values()) {
      bars.add(new Bar(k.openTime(), k.open(), k.high(), k.low(), k.close(), k.volume()));
    }
    return bars;
  }
}
