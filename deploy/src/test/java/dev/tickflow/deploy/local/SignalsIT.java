package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.detector.DetectorRun;
import dev.tickflow.jobs.patterns.CandlePatterns;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SourceRange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detectors on the running platform: the two example configs are deployed with {@code tickflow detector deploy}
 * while the job runs, trades are replayed, and the signals the job writes to Kafka (read_committed), Iceberg and
 * the relay are exactly those the same detectors give over Binance's own klines, each once, each explaining its
 * score rule by rule. Removing a detector stops it.
 */
class SignalsIT {

  private static final Instant UNTIL = Instant.parse("2019-10-11T06:00:00Z");
  private static final String MOMENTUM = "../docs/detectors/momentum.yaml";
  private static final String BREAKOUT = "../docs/detectors/breakout.yaml";
  private static final String SPIKE_FADE = "../docs/detectors/spike-fade.yaml";

  @TempDir Path dataDir;

  @Test
  void deployedDetectorsSignalExactlyOnceIntoKafkaIcebergAndTheRelay() throws Exception {
    List<DetectorConfig> configs = DetectorConfigs.loadDir(Path.of("../docs/detectors"));
    List<PatternAlert> klineAlerts = alertsOverKlines();
    Map<String, Signal> expected = new TreeMap<>();
    for (Signal s : DetectorRun.signals(configs, SampleExpectations.klineCandles(SampleExpectations.lastFinalBar(UNTIL)), klineAlerts)) {
      expected.put(s.getSignalId(), s);
    }
    assertThat(expected.values().stream().map(Signal::getDetectorId).collect(Collectors.toSet()))
        .as("every example detector signals in the replayed hours").hasSize(3);
    // the job's watermark holds back the last minute of bars: pattern rules judge those bars only once later
    // bars come, so the pattern detector's last signals are not required, only allowed
    Instant lastBarClose = Instant.ofEpochMilli(SampleExpectations.lastFinalBar(UNTIL)).plusSeconds(60);
    Set<String> required = expected.values().stream()
        .filter(s -> !s.getDetectorId().equals("spike-fade") || s.getEventTime().isBefore(lastBarClose.minusSeconds(300)))
        .map(Signal::getSignalId).collect(Collectors.toCollection(TreeSet::new));

    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir));
        RelaySubscriber relay = new RelaySubscriber(stack.relayFanout(), List.of("BINANCE:XRP/ETH|signal"))) {
      for (String file : List.of(MOMENTUM, BREAKOUT, SPIKE_FADE)) {
        assertThat(cli("detector", "deploy", file, "--bootstrap-servers", stack.kafkaBootstrap())).isZero();
      }
      Probes.waitFor("the detectors live in the job", Duration.ofSeconds(60),
          () -> Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "detectorInstances") == 3);
      Probes.replay(stack.kafkaBootstrap(), UNTIL);

      List<Signal> inKafka = new ArrayList<>();
      try {
        Probes.waitFor(required.size() + " signals in signals.raw", Duration.ofSeconds(180), () -> {
          inKafka.clear();
          Probes.readCommitted(stack.kafkaBootstrap(), Topic.SIGNALS_RAW.topicName())
              .forEach(r -> inKafka.add(EventTypes.codec(Signal.class).decode(r.value())));
          return inKafka.stream().map(Signal::getSignalId).collect(Collectors.toSet()).containsAll(required);
        });
      } catch (AssertionError e) {
        Set<String> got = inKafka.stream().map(Signal::getSignalId).collect(Collectors.toSet());
        throw new AssertionError(e.getMessage() + "; missing: " + required.stream().filter(id -> !got.contains(id))
            .map(id -> expected.get(id).getDetectorId() + "@" + expected.get(id).getEventTime()).toList()
            + "; got " + inKafka.stream().map(x -> x.getDetectorId() + "@" + x.getEventTime()).toList()
            + "; job spike alerts " + Probes.readCommitted(stack.kafkaBootstrap(), Topic.SIGNALS_ALERTS.topicName())
                .stream().map(r -> EventTypes.codec(PatternAlert.class).decode(r.value()))
                .filter(x -> x.getPattern().equals("spike-reversal")).map(x -> x.getEventTime().toString()).toList()
            + "; expected spike alerts " + klineAlerts.stream().filter(x -> x.getPattern().equals("spike-reversal"))
                .map(x -> x.getEventTime().toString()).toList()
            + "; detectorFailures " + Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "detectorFailures")
            + "; engine watermark " + Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "currentInputWatermark"));
      }
      List<String> kafkaIds = inKafka.stream().map(Signal::getSignalId).toList();
      assertThat(kafkaIds).as("each signal once").doesNotHaveDuplicates();
      assertThat(expected.keySet()).as("nothing the detectors would not give").containsAll(kafkaIds);
      for (Signal s : inKafka) {
        Signal e = expected.get(s.getSignalId());
        assertThat(s.getDirection()).isEqualTo(e.getDirection());
        assertThat(s.getScore()).isEqualByComparingTo(e.getScore());
        assertThat(s.getPrice()).isEqualByComparingTo(e.getPrice());
        assertThat(s.getRules()).extracting(RuleContribution::getRule, RuleContribution::getFired)
            .isEqualTo(e.getRules().stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.getRule(), r.getFired()))
                .toList());
        assertThat(s.getRules().stream().map(RuleContribution::getScore).reduce(BigDecimal.ZERO, BigDecimal::add))
            .as("attribution sums to the score").isEqualByComparingTo(s.getScore());
        assertThat(s.getSource().getTopic()).isEqualTo(Topic.MARKET_DATA_RAW.topicName());
      }

      // the lake: the same signals, once each (committed with the checkpoint after them)
      SqlRunner sql = new SqlRunner(stack.catalog());
      Set<String> inLake = new TreeSet<>();
      Probes.waitFor("signals in signals.signals", Duration.ofSeconds(60), () -> {
        inLake.clear();
        try {
          List<List<Object>> rows = sql.query("SELECT signal_id, detector_id, CARDINALITY(rules) FROM signals.signals");
          rows.forEach(r -> inLake.add((String) r.get(0)));
          return rows.size() >= kafkaIds.size();
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(inLake).isEqualTo(new TreeSet<>(kafkaIds));

      // the relay: live signals as they were emitted
      List<RelayMessage> relayed = new ArrayList<>();
      Probes.waitFor("a signal on the relay", Duration.ofSeconds(10), () -> {
        relay.receive(Duration.ofMillis(200)).ifPresent(relayed::add);
        return !relayed.isEmpty();
      });
      assertThat(expected).containsKey(EventTypes.codec(Signal.class).decode(relayed.get(0).payload()).getSignalId());

      // CEP alerts from the bundled patterns: each once in Kafka and the lake, the same ids as the patterns give
      // over Binance's klines (the job's watermark holds back the last minute of matches)
      Set<String> expectedAlerts = new TreeSet<>();
      Instant lastExpected = Instant.MIN;
      for (PatternAlert a : klineAlerts) {
        expectedAlerts.add(a.getAlertId());
        lastExpected = a.getEventTime().isAfter(lastExpected) ? a.getEventTime() : lastExpected;
      }
      Instant settled = lastExpected.minus(Duration.ofMinutes(30));
      List<PatternAlert> alerts = new ArrayList<>();
      Probes.waitFor("alerts up to " + settled + " in signals.alerts", Duration.ofSeconds(120), () -> {
        alerts.clear();
        Probes.readCommitted(stack.kafkaBootstrap(), Topic.SIGNALS_ALERTS.topicName())
            .forEach(r -> alerts.add(EventTypes.codec(PatternAlert.class).decode(r.value())));
        return alerts.stream().anyMatch(a -> !a.getEventTime().isBefore(settled));
      });
      assertThat(alerts).extracting(PatternAlert::getAlertId).as("each alert once").doesNotHaveDuplicates();
      assertThat(alerts).filteredOn(a -> a.getTimeframe().equals("tick")).as("trade bursts, over trades")
          .isNotEmpty().allSatisfy(a -> assertThat(a.getPattern()).isEqualTo("buy-burst"));
      List<String> alertIds = alerts.stream().filter(a -> !a.getTimeframe().equals("tick"))
          .map(PatternAlert::getAlertId).toList();
      assertThat(expectedAlerts).containsAll(alertIds);
      assertThat(alertIds).containsAll(klineAlerts.stream().filter(a -> a.getEventTime().isBefore(settled))
          .map(PatternAlert::getAlertId).toList());
      assertThat(alerts.stream().map(PatternAlert::getPattern).collect(Collectors.toSet()))
          .as("the bundled patterns that match this sample").isNotEmpty();

      assertThat(cli("detector", "remove", "eth-breakout", "--bootstrap-servers", stack.kafkaBootstrap())).isZero();
      Probes.waitFor("two detectors left", Duration.ofSeconds(60),
          () -> Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "detectorInstances") == 2);
    }
  }

  private static List<PatternAlert> alertsOverKlines() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Candle> candles = env.fromData(SampleExpectations.klineCandles(SampleExpectations.lastFinalBar(UNTIL)),
            TypeInformation.of(Candle.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Candle>forMonotonousTimestamps()
            .withTimestampAssigner((c, t) -> c.getCloseTime().toEpochMilli()));
    List<PatternAlert> out = new ArrayList<>();
    try (var it = CandlePatterns.addTo(candles, PatternSpecs.defaults()).executeAndCollect("expected alerts")) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static int cli(String... args) {
    StringWriter err = new StringWriter();
    int code = TickflowCli.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute(args);
    assertThat(err.toString()).as(String.join(" ", args)).doesNotContain("tickflow detector:");
    return code;
  }
}
