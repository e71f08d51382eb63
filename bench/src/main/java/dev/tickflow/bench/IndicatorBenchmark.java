package dev.tickflow.bench;

import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.detector.DetectorRun;
import dev.tickflow.jobs.indicators.AverageTrueRange;
import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.BollingerBand;
import dev.tickflow.jobs.indicators.ExponentialMovingAverage;
import dev.tickflow.jobs.indicators.Indicator;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.jobs.indicators.RelativeStrengthIndex;
import dev.tickflow.schemas.event.Candle;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.ta4j.core.BarSeries;
import org.ta4j.core.BaseBarSeriesBuilder;
import org.ta4j.core.indicators.ATRIndicator;
import org.ta4j.core.indicators.EMAIndicator;
import org.ta4j.core.indicators.RSIIndicator;
import org.ta4j.core.indicators.SMAIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsMiddleIndicator;
import org.ta4j.core.indicators.bollinger.BollingerBandsUpperIndicator;
import org.ta4j.core.indicators.helpers.ClosePriceIndicator;
import org.ta4j.core.indicators.statistics.StandardDeviationIndicator;
import org.ta4j.core.num.DecimalNum;
import org.ta4j.core.num.Num;

/**
 * A live bar at a time, as the detector engine sees them: the 720 bundled 1m bars through EMA(9), EMA(21), RSI(14),
 * ATR(14) and the upper Bollinger band(20, 2). tickflow's incremental indicators (exact decimals, 34 digits) against
 * the peer, ta4j 0.17 with DecimalNum, which keeps the bar series and asks each indicator for the newest value after
 * every bar. And the example detectors end to end over the same bars (DetectorRun: indicators, every rule,
 * scoring, attribution). Score: passes over the 720 bars per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndicatorBenchmark {

  private List<Bar> bars;
  private List<Candle> candles;
  private List<DetectorConfig> detectors;

  @Setup
  public void setUp() throws Exception {
    candles = SampleMarket.candles();
    bars = candles.stream().map(Bar::of).toList();
    detectors = SampleMarket.exampleDetectors();
  }

  @Benchmark
  public void tickflowIndicators(Blackhole out) {
    List<Indicator> set = List.of(new ExponentialMovingAverage(9, PriceField.CLOSE),
        new ExponentialMovingAverage(21, PriceField.CLOSE), new RelativeStrengthIndex(14, PriceField.CLOSE),
        new AverageTrueRange(14), new BollingerBand(20, BigDecimal.valueOf(2), BollingerBand.Band.UPPER,
            PriceField.CLOSE));
    for (Bar b : bars) {
      for (Indicator i : set) {
        i.update(b);
        out.consume(i.value());
      }
    }
  }

  @Benchmark
  public void ta4jIndicators(Blackhole out) {
    BarSeries series = new BaseBarSeriesBuilder().withNumTypeOf(DecimalNum.class).build();
    ClosePriceIndicator close = new ClosePriceIndicator(series);
    List<org.ta4j.core.Indicator<Num>> set = List.of(new EMAIndicator(close, 9), new EMAIndicator(close, 21),
        new RSIIndicator(close, 14), new ATRIndicator(series, 14),
        new BollingerBandsUpperIndicator(new BollingerBandsMiddleIndicator(new SMAIndicator(close, 20)),
            new StandardDeviationIndicator(close, 20), DecimalNum.valueOf(2)));
    for (Bar b : bars) {
      series.addBar(Duration.ofMinutes(1), Instant.ofEpochMilli(b.openTime() + 60_000).atZone(ZoneOffset.UTC),
          b.open(), b.high(), b.low(), b.close(), b.volume());
      for (org.ta4j.core.Indicator<Num> i : set) {
        out.consume(i.getValue(series.getEndIndex()));
      }
    }
  }

  @Benchmark
  public void exampleDetectors(Blackhole out) {
    out.consume(DetectorRun.signals(detectors, candles));
  }
}
