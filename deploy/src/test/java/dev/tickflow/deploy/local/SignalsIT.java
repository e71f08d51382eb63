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

  @TempDir Path dataDir;

  @Test
  void deployedDetectorsSignalExactlyOnceIntoKafkaIcebergAndTheRelay() throws Exception {
    List<DetectorConfig> configs = DetectorConfigs.loadDir(Path.of("../docs/detectors"));
    Map<String, Signal> expected = new TreeMap<>();
    for (Signal s : DetectorRun.signals(configs, klineCandles(SampleExpectations.lastFinalBar(UNTIL)))) {
      expected.put(s.getSignalId(), s);
    }
    assertThat(expected.values().stream().map(Signal::getDetectorId).collect(Collectors.toSet()))
        .as("both detectors signal in the replayed hours").hasSize(2);

    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir));
        RelaySubscriber relay = new RelaySubscriber(stack.relayFanout(), List.of("BINANCE:XRP/ETH|signal"))) {
      for (String file : List.of(MOMENTUM, BREAKOUT)) {
        assertThat(cli("detector", "deploy", file, "--bootstrap-servers", stack.kafkaBootstrap())).isZero();
      }
      Probes.waitFor("both detectors live in the job", Duration.ofSeconds(60),
          () -> Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "detectorInstances") == 2);
      Probes.replay(stack.kafkaBootstrap(), UNTIL);

      List<Signal> inKafka = new ArrayList<>();
      Probes.waitFor(expected.size() + " signals in signals.raw", Duration.ofSeconds(180), () -> {
        inKafka.clear();
        Probes.readCommitted(stack.kafkaBootstrap(), Topic.SIGNALS_RAW.topicName())
            .forEach(r -> inKafka.add(EventTypes.codec(Signal.class).decode(r.value())));
        return inKafka.size() >= expected.size();
      });
      assertThat(inKafka).extracting(Signal::getSignalId).as("each signal once, none missing")
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
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
          return rows.size() >= expected.size();
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(inLake).isEqualTo(expected.keySet());

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
      for (PatternAlert a : alertsOverKlines()) {
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
      List<String> alertIds = alerts.stream().map(PatternAlert::getAlertId).toList();
      assertThat(alertIds).as("each alert once").doesNotHaveDuplicates();
      assertThat(expectedAlerts).containsAll(alertIds);
      assertThat(alertIds).containsAll(alertsOverKlines().stream().filter(a -> a.getEventTime().isBefore(settled))
          .map(PatternAlert::getAlertId).toList());
      assertThat(alerts.stream().map(PatternAlert::getPattern).collect(Collectors.toSet()))
          .as("the bundled patterns that match this sample").isNotEmpty();

      assertThat(cli("detector", "remove", "eth-breakout", "--bootstrap-servers", stack.kafkaBootstrap())).isZero();
      Probes.waitFor("one detector left", Duration.ofSeconds(60),
          () -> Probes.flinkMetric(stack.flink().webUi(), "DetectorEngine", "detectorInstances") == 1);
    }
  }

  private static List<PatternAlert> alertsOverKlines() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<Candle> candles = env.fromData(klineCandles(SampleExpectations.lastFinalBar(UNTIL)),
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

  /** Binance's 1m klines up to {@code lastBar} as final candles: what the job's candles equal digit for digit. */
  private static List<Candle> klineCandles(long lastBar) throws Exception {
    List<Candle> out = new ArrayList<>();
    for (Map.Entry<Long, BigDecimal[]> e : SampleExpectations.klines().entrySet()) {
      if (e.getKey() > lastBar) {
        break;
      }
      Instant open = Instant.ofEpochMilli(e.getKey());
      BigDecimal[] k = e.getValue();
      out.add(Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
          .setOpenTime(open).setCloseTime(open.plusSeconds(60)).setOpen(k[0].setScale(18)).setHigh(k[1].setScale(18))
          .setLow(k[2].setScale(18)).setClose(k[3].setScale(18)).setVolume(k[4].setScale(18))
          .setQuoteVolume(BigDecimal.ZERO.setScale(18)).setTradeCount(0).setIsFinal(true).setRevision(0)
          .setEventTime(open).setIngestTime(open).setSource(new SourceRange("market_data.raw", 0, 0L, 0L))
          .setFeedHealth(FeedHealth.UNKNOWN).build());
    }
    return out;
  }
}
