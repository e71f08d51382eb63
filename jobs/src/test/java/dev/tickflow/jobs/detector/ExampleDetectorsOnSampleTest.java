package dev.tickflow.jobs.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.jobs.marketdata.BinanceKlines;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The two example detectors over Binance's own 1m XRP/ETH klines of the bundled 12 hours (the bars the job builds
 * equal them digit for digit): both signal, every signal's attribution sums to its score, and the Flink operator
 * emits exactly what the plain loop does.
 */
class ExampleDetectorsOnSampleTest {

  static List<Candle> sampleCandles() throws Exception {
    List<Candle> out = new ArrayList<>();
    long n = 0;
    for (BinanceKlines.Kline k : BinanceKlines.read(SampleData.open(SampleData.KLINES_1M)).byOpenTime().values()) {
      Instant open = Instant.ofEpochMilli(k.openTime());
      out.add(Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
          .setOpenTime(open).setCloseTime(open.plusSeconds(60)).setOpen(s(k.open())).setHigh(s(k.high()))
          .setLow(s(k.low())).setClose(s(k.close())).setVolume(s(k.volume())).setQuoteVolume(s(BigDecimal.ZERO))
          .setTradeCount(0).setIsFinal(true).setRevision(0).setEventTime(open).setIngestTime(open)
          .setSource(new SourceRange("market_data.ohlc", 0, n, n)).setFeedHealth(FeedHealth.UNKNOWN).build());
      n++;
    }
    return out;
  }

  static List<DetectorConfig> examples() {
    return DetectorConfigs.loadDir(Path.of("../docs/detectors"));
  }

  @Test
  void bothExamplesSignalOnTheSampleAndExplainEveryPoint() throws Exception {
    List<Signal> signals = DetectorRun.signals(examples(), sampleCandles());
    assertThat(signals.stream().map(Signal::getDetectorId).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("xrp-momentum", "eth-breakout");
    assertThat(signals).allSatisfy(s -> {
      BigDecimal sum = s.getRules().stream().map(RuleContribution::getScore).reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(sum).as(s.getSignalId()).isEqualByComparingTo(s.getScore());
      assertThat(s.getScore()).isGreaterThanOrEqualTo(s.getThreshold());
    });
    Set<String> ids = signals.stream().map(Signal::getSignalId).collect(Collectors.toSet());
    assertThat(ids).as("ids are unique").hasSize(signals.size());
  }

  @Test
  void theFlinkOperatorEmitsWhatThePlainLoopDoes() throws Exception {
    List<Candle> candles = sampleCandles();
    List<Signal> expected = DetectorRun.signals(examples(), candles);
    try (var h = DetectorEngineTest.harness(new DetectorEngine(examples()))) {
      for (Candle c : candles) {
        h.processElement(c, c.getOpenTime().toEpochMilli());
      }
      assertThat(h.extractOutputValues()).isEqualTo(expected);
    }
  }

  private static BigDecimal s(BigDecimal v) {
    return v.setScale(18);
  }
}
