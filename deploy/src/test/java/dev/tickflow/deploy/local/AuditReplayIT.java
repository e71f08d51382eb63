package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickflow replay} against a live run of six hours of Binance XRP/ETH, which stopped with a savepoint at
 * 03:00 and carried on: a replay of the whole range from empty state equals the live record (identical report),
 * twice with the same output bytes; a replay of the second half from the savepoint equals it too; a detector
 * weight changed makes the diff name that rule; bad ranges exit 2.
 */
class AuditReplayIT {

  private static final Instant MIDDLE = Instant.parse("2019-10-11T03:00:00Z");
  private static final Instant UNTIL = Instant.parse("2019-10-11T06:00:00Z");
  private static final Instant SETTLED = UNTIL.minus(Duration.ofMinutes(10));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void replaysEqualTheLiveRecordAndNameWhatDiffers() throws Exception {
    Path trading = SampleExpectations.tradingSettings(dataDir);
    Path detectors = Path.of("../docs/detectors").toAbsolutePath();
    LocalStackConfig config = LocalStackConfig.forTests(dataDir.resolve("stack")).withTrading(detectors, trading);

    // live, part 1: up to 03:00, caught up everywhere, then a clean stop (savepoint)
    Map<Integer, Long> savepointOffsets;
    try (LocalStack stack = LocalStack.start(config)) {
      produce(stack.kafkaBootstrap(), SampleExpectations.START, MIDDLE);
      Probes.awaitCaughtUp(stack.kafkaBootstrap());
    }
    Path savepoint = Path.of(java.net.URI.create(Files.readString(
        dataDir.resolve("stack/flink").resolve(LocalFlink.LATEST_SAVEPOINT)).trim()));

    try (LocalStack stack = LocalStack.start(config.withFreshPorts())) {
      String kafka = stack.kafkaBootstrap();
      savepointOffsets = Probes.committed(kafka, "tickflow-market-data", Topic.MARKET_DATA_RAW.topicName());
      // live, part 2: on to 06:00, every settled signal decided, the lake level with Kafka
      produce(kafka, MIDDLE, UNTIL);
      Probes.awaitSettled(stack, kafka, SETTLED);
      assertThat(Probes.readCommitted(kafka, Topic.DEADLETTER.topicName())).as("nothing dead-lettered live, e.g. as late")
          .isEmpty();
      String catalog = dataDir.resolve("stack/catalog.properties").toString();
      String[] common = {"--bootstrap-servers", kafka, "--catalog", catalog, "--detectors", detectors.toString(),
          "--trading", trading.toString()};

      Map<String, Integer> liveCounts = new HashMap<>();
      for (Topic t : List.of(Topic.MARKET_DATA_OHLC, Topic.SIGNALS_RAW, Topic.TRADE_FILLS)) {
        liveCounts.put(t.topicName(), Probes.readCommitted(kafka, t.topicName()).size());
      }
      Map<Integer, Long> liveRawGroup = Probes.committed(kafka, "tickflow-market-data", Topic.MARKET_DATA_RAW.topicName());

      // the whole range from empty state equals live
      Run first = replay(common, "--run-id", "full_a", "--format", "json");
      assertThat(first.code()).as(first.out() + first.err()).isZero();
      JsonNode report = JSON.readTree(first.out());
      assertThat(report.path("result").asText()).isEqualTo("IDENTICAL");
      Map<String, Long> compared = new HashMap<>();
      report.path("tables").forEach(t -> compared.put(t.path("table").asText(), t.path("identical").asLong()));
      assertThat(compared.get("market.ohlc")).as("candles compared").isGreaterThan(300);
      assertThat(compared.get("signals.signals")).as("signals compared").isGreaterThan(5);
      assertThat(compared.get("trading.decisions")).as("decisions compared").isGreaterThan(5);
      assertThat(compared.get("trading.fills")).as("fills compared").isGreaterThan(5);
      assertThat(first.err()).as("progress").contains("market data: done", "signals and decisions: done");

      // again, with the range given as Kafka times: the same offsets, the same bytes out
      Run second = replay(common, "--run-id", "full_b", "--from-time", "2000-01-01T00:00:00Z",
          "--to-time", "2100-01-01T00:00:00Z");
      assertThat(second.code()).as(second.out() + second.err()).isZero();
      assertThat(second.out()).contains("IDENTICAL");
      SqlRunner sql = new SqlRunner(stack.catalog());
      List<List<Object>> runs = sql.query(
          "SELECT run_id, ranges, outputs, outcome, state_from FROM ops.audit_runs ORDER BY started_at");
      assertThat(runs).hasSize(2);
      assertThat(runs.get(1).get(1)).as("time bounds resolve to the same offsets").isEqualTo(runs.get(0).get(1));
      assertThat(runs.get(1).get(2)).as("byte-identical outputs").isEqualTo(runs.get(0).get(2));
      assertThat(runs.get(0).get(2).toString()).contains("market_data.ohlc", "signals.raw", "trade.fills");

      // live outputs and consumer groups untouched; the runs' own groups commit nothing
      for (Map.Entry<String, Integer> e : liveCounts.entrySet()) {
        assertThat(Probes.readCommitted(kafka, e.getKey())).as("live " + e.getKey()).hasSize(e.getValue());
      }
      assertThat(Probes.committed(kafka, "tickflow-market-data", Topic.MARKET_DATA_RAW.topicName())).isEqualTo(liveRawGroup);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
        assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)).extracting(g -> g.groupId())
            .noneMatch(g -> g.startsWith("full_"));
      }

      // the second half from the live savepoint at 03:00 sees what the live job saw
      String fromOffsets = savepointOffsets.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
          .collect(Collectors.joining(","));
      Run resumed = replay(common, "--run-id", "from_savepoint", "--from-offset", fromOffsets,
          "--from-savepoint", savepoint.toString());
      assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
      assertThat(resumed.out()).contains("IDENTICAL");
      assertThat(resumed.out()).containsPattern("signals\\.signals\\s+[1-9]");

      // a detector weight changed: the diff names the rule
      Path changed = Files.createDirectories(dataDir.resolve("changed-detectors"));
      try (Stream<Path> files = Files.list(detectors)) {
        for (Path f : files.toList()) {
          String text = Files.readString(f);
          if (f.getFileName().toString().equals("momentum.yaml")) {
            text = text.replaceFirst("(id: ema-cross-up\\s+when: \\{[^}]*}\\s+weight:) 2", "$1 3");
            assertThat(text).contains("weight: 3");
          }
          Files.writeString(changed.resolve(f.getFileName()), text);
        }
      }
      Run different = replay(new String[] {"--bootstrap-servers", kafka, "--catalog", catalog, "--detectors",
          changed.toString(), "--trading", trading.toString()}, "--run-id", "weight_changed");
      assertThat(different.code()).as(different.out() + different.err()).isEqualTo(1);
      assertThat(different.out()).contains("DIFFERENT", "signals.signals CHANGED", "rule ema-cross-up: live",
          "weight=2", "weight=3");

      // bad ranges: a clear error, exit 2, nothing run
      assertThat(replay(common, "--from-offset", "50", "--to-offset", "10").err()).contains("after --to-offset");
      Run past = replay(common, "--to-offset", "0:99999999");
      assertThat(past.code()).isEqualTo(2);
      assertThat(past.err()).contains("partition 0: to offset 99999999 is past the end");
      Run unknown = replay(common, "--topic", "no.such.topic");
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.err()).contains("topic 'no.such.topic' does not exist");
      Run output = replay(common, "--topic", "market_data.ohlc");
      assertThat(output.code()).isEqualTo(2);
      assertThat(output.err()).contains("written by the pipeline itself");
      Run noPartition = replay(common, "--partition", "99");
      assertThat(noPartition.code()).isEqualTo(2);
      assertThat(noPartition.err()).contains("has no partition 99");
      Run badSavepoint = replay(common, "--from-savepoint", dataDir.toString());
      assertThat(badSavepoint.code()).isEqualTo(2);
      assertThat(badSavepoint.err()).contains("not a savepoint or checkpoint");
      assertThat(sql.query("SELECT COUNT(*) FROM ops.audit_runs").get(0).get(0)).as("only real runs recorded")
          .isEqualTo(4L);

      // a backtest over the lake's history of the same six hours gives the live paper results
      String[] backtest = {"backtest", "--bootstrap-servers", kafka, "--catalog", catalog, "--detectors",
          detectors.toString(), "--trading", trading.toString(), "--tickers", "BINANCE:XRP/ETH",
          "--from", "2019-10-11T00:00:00Z", "--to", UNTIL.toString(), "--compare-live", "--run-id", "bt_six_hours"};
      Run bt = cli(backtest);
      assertThat(bt.code()).as(bt.out() + bt.err()).isZero();
      assertThat(bt.out()).contains("history: ", "signals and decisions: done", "closed positions", "hit rate",
          "max drawdown", "IDENTICAL");
      assertThat(bt.out()).containsPattern("signals\\.signals\\s+2\\d\\s+2\\d");
      assertThat(sql.query("SELECT outcome FROM ops.audit_runs WHERE run_id = 'bt_six_hours'"))
          .containsExactly(List.of("IDENTICAL"));
      Run empty = cli(new String[] {"backtest", "--bootstrap-servers", kafka, "--catalog", catalog,
          "--from", "2030-01-01T00:00:00Z", "--to", "2030-01-02T00:00:00Z"});
      assertThat(empty.code()).isEqualTo(2);
      assertThat(empty.err()).contains("no candles in market.ohlc");
      Run backwards = cli(new String[] {"backtest", "--catalog", catalog, "--from", "2019-10-11T06:00:00Z",
          "--to", "2019-10-11T00:00:00Z"});
      assertThat(backwards.code()).isEqualTo(2);
      assertThat(backwards.err()).contains("is not before --to");
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run replay(String[] common, String... args) {
    List<String> all = new ArrayList<>(List.of("replay"));
    all.addAll(List.of(common));
    all.addAll(List.of(args));
    return cli(all.toArray(String[]::new));
  }

  private static Run cli(String[] args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    System.out.println("AuditReplayIT: tickflow " + String.join(" ", args) + " -> " + code + "\n" + out + err);
    return new Run(code, out.toString(), err.toString());
  }

  private static void produce(String bootstrap, Instant from, Instant until) throws Exception {
    ReplayConfig config = ReplayConfig.sample(bootstrap, 0).withWindow(from, until);
    try (Producer<String, byte[]> producer = new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrap))) {
      new TradeReplay(config, producer).run();
    }
  }
}
