package dev.tickflow.jobs.detector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.jobs.marketdata.BinanceKlines;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.jobs.patterns.CandlePatterns;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.PatternAlert;
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
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The example detectors over Binance's own 1m XRP/ETH klines of the bundled 12 hours (the bars the job builds
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

  /** The bundled CEP patterns over the same bars, in a Flink job. */
  static synchronized List<PatternAlert> sampleAlerts() throws Exception {
    if (sampleAlerts != null) {
      return sampleAlerts;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Candle> candles = env.fromData(sampleCandles(), TypeInformation.of(Candle.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Candle>forMonotonousTimestamps()
            .withTimestampAssigner((c, t) -> c.getCloseTime().toEpochMilli()));
    List<PatternAlert> out = new ArrayList<>();
    try (var it = CandlePatterns.addTo(candles, PatternSpecs.defaults()).executeAndCollect("sample alerts")) {
      it.forEachRemaining(out::add);
    }
    sampleAlerts = List.copyOf(out);
    return sampleAlerts;
  }

  private static List<PatternAlert> sampleAlerts;

  @Test
  void everyExampleSignalsOnTheSampleAndExplainsEveryPoint() throws Exception {
    List<Signal> signals = DetectorRun.signals(examples(), sampleCandles(), sampleAlerts());
    assertThat(signals.stream().map(Signal::getDetectorId).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("xrp-momentum", "eth-breakout", "spike-fade");
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
    List<PatternAlert> alerts = sampleAlerts();
    List<Signal> expected = DetectorRun.signals(examples(), candles, alerts);
    try (var h = DetectorEngineTest.harness(new DetectorEngine(examples()))) {
      h.processBroadcastWatermark(Long.MAX_VALUE);
      // as in the job: each bar, then the alerts CEP emits for it, then the watermark at its close
      for (Candle c : candles) {
        long close = c.getCloseTime().toEpochMilli();
        h.processElement(DetectorInput.of(c), close);
        for (PatternAlert a : alerts) {
          if (a.getEventTime().toEpochMilli() == close) {
            h.processElement(DetectorInput.of(a), close);
          }
        }
        h.processWatermark(close);
      }
      assertThat(h.extractOutputValues().stream().map(Signal::getSignalId).sorted().toList())
          .isEqualTo(expected.stream().map(Signal::getSignalId).sorted().toList());
      assertThat(h.extractOutputValues()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static BigDecimal s(BigDecimal v) {
    return v.setScale(18);
  }
}
