package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through crashes. tickflow up runs in its own JVM; after a first stretch of trades is committed,
 * the sample is replayed again from the start (duplicates) and further, and the JVM is killed with SIGKILL
 * while that is in flight: Kafka, Flink, the S3 server and the catalog all die without a clean stop. The next
 * start resumes from the last retained checkpoint, takes more trades, and is killed the same way again. The
 * third start must resume once more, and then Iceberg and Kafka (read_committed) hold every trade and every
 * candle exactly once, with the candles still equal to Binance's klines; a detector deployed before the first
 * trade has signalled exactly what it gives over those klines, each signal once in Kafka and in Iceberg; and the
 * advisor decided each of those signals once, with every verdict and paper fill once.
 */
class CrashRecoveryIT {

  private static final Instant FIRST_UNTIL = Instant.parse("2019-10-11T02:00:00Z");
  private static final Instant SECOND_UNTIL = Instant.parse("2019-10-11T04:00:00Z");
  private static final Instant THIRD_UNTIL = Instant.parse("2019-10-11T06:00:00Z");

  @TempDir Path tmp;

  @Test
  void aStackKilledTwiceResumesFromItsLastCheckpointWithEveryRowExactlyOnce() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);

    TickflowProcess first = TickflowProcess.up(data, "first");
    try {
      String bootstrap = TickflowProcess.endpoints(data).getProperty("kafka.bootstrap");
      CatalogConfig catalog = CatalogConfig.load(data.resolve(CatalogConfig.FILE_NAME));
      String webUi = TickflowProcess.endpoints(data).getProperty("flink.web-ui");
      assertThat(dev.tickflow.deploy.cli.TickflowCli.commandLine().execute("detector", "deploy",
          "../docs/detectors/breakout.yaml", "--bootstrap-servers", bootstrap)).isZero();
      Probes.waitFor("the detector live in the job", Duration.ofSeconds(60),
          () -> Probes.flinkMetric(webUi, "DetectorEngine", "detectorInstances") == 1);
      Probes.replay(bootstrap, FIRST_UNTIL);
      Probes.awaitCandle(catalog, SampleExpectations.lastFinalBar(FIRST_UNTIL), Duration.ofSeconds(120));
      assertThat(retainedCheckpoints(data)).as("a retained checkpoint to recover from").isNotEmpty();

      Probes.replay(bootstrap, SECOND_UNTIL); // two hours again, then two new ones: in flight at the kill
    } finally {
      first.crash();
    }
    assertThat(first.output()).doesNotContain("stopped with savepoint");
    assertThat(data.resolve("flink").resolve(LocalFlink.LATEST_SAVEPOINT)).doesNotExist();

    TickflowProcess second = TickflowProcess.up(data, "second");
    try {
      assertThat(second.output()).containsPattern("restored from .*chk-\\d+");
      String bootstrap = TickflowProcess.endpoints(data).getProperty("kafka.bootstrap");
      CatalogConfig catalog = CatalogConfig.load(data.resolve(CatalogConfig.FILE_NAME));
      Probes.awaitCandle(catalog, SampleExpectations.lastFinalBar(SECOND_UNTIL), Duration.ofSeconds(180));
      Probes.replay(bootstrap, THIRD_UNTIL); // everything again, and two more hours: in flight at the kill
    } finally {
      second.crash();
    }

    try (TickflowProcess third = TickflowProcess.up(data, "third")) {
      assertThat(third.output()).containsPattern("restored from .*chk-\\d+");
      String bootstrap = TickflowProcess.endpoints(data).getProperty("kafka.bootstrap");
      CatalogConfig catalog = CatalogConfig.load(data.resolve(CatalogConfig.FILE_NAME));
      long lastBar = SampleExpectations.lastFinalBar(THIRD_UNTIL);
      Probes.awaitCandle(catalog, lastBar, Duration.ofSeconds(180));

      Set<Long> expectedBars = SampleExpectations.barsWithTrades(SampleExpectations.klines(), lastBar);
      SqlRunner sql = new SqlRunner(catalog);
      SampleExpectations.assertLakeBarsEqualKlines(sql, lastBar);
      List<List<Object>> trades = sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades");
      long expectedTrades = SampleExpectations.tradesBefore(THIRD_UNTIL);
      assertThat(((Number) trades.get(0).get(0)).longValue()).isEqualTo(expectedTrades);
      assertThat(((Number) trades.get(0).get(1)).longValue()).isEqualTo(expectedTrades);

      List<Candle> kafkaCandles = Probes.readCommitted(bootstrap, Topic.MARKET_DATA_OHLC.topicName()).stream()
          .map(r -> EventTypes.codec(Candle.class).decode(r.value())).toList();
      assertThat(kafkaCandles).extracting(c -> c.getTimeframe() + "@" + c.getOpenTime().toEpochMilli())
          .doesNotHaveDuplicates();
      List<String> kafkaTrades = Probes.readCommitted(bootstrap, Topic.MARKET_DATA_TRADES.topicName()).stream()
          .map(r -> EventTypes.codec(Trade.class).decode(r.value()).getTradeId()).toList();
      assertThat(kafkaTrades).doesNotHaveDuplicates().hasSize((int) expectedTrades);
      assertThat(kafkaCandles).filteredOn(c -> c.getTimeframe().equals("1m"))
          .extracting(c -> c.getOpenTime().toEpochMilli()).containsAll(expectedBars);
      List<List<Object>> perTimeframe = sql.query("SELECT timeframe, COUNT(*), COUNT(DISTINCT open_time) "
          + "FROM market.ohlc GROUP BY timeframe");
      perTimeframe.forEach(r -> assertThat(r.get(1)).as("bars of " + r.get(0) + " once each").isEqualTo(r.get(2)));

      // the detector's signals: exactly what it gives over the klines, once each, in Kafka and in the lake
      List<String> expectedSignals = dev.tickflow.jobs.detector.DetectorRun.signals(
              dev.tickflow.jobs.detector.DetectorConfigs.loadDir(java.nio.file.Path.of("../docs/detectors")).stream()
                  .filter(c -> c.id().equals("eth-breakout")).toList(),
              SampleExpectations.klineCandles(lastBar))
          .stream().map(dev.tickflow.schemas.event.Signal::getSignalId).sorted().toList();
      assertThat(expectedSignals).as("the detector signals in these hours").isNotEmpty();
      List<String> kafkaSignals = new java.util.ArrayList<>();
      Probes.waitFor(expectedSignals.size() + " signals in signals.raw", Duration.ofSeconds(120), () -> {
        kafkaSignals.clear();
        Probes.readCommitted(bootstrap, Topic.SIGNALS_RAW.topicName()).forEach(r -> kafkaSignals.add(
            EventTypes.codec(dev.tickflow.schemas.event.Signal.class).decode(r.value()).getSignalId()));
        return kafkaSignals.size() >= expectedSignals.size();
      });
      assertThat(kafkaSignals).as("signals in Kafka after two crashes").doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(expectedSignals);
      List<List<Object>> lakeSignals = new java.util.ArrayList<>();
      Probes.waitFor("the signals committed to Iceberg", Duration.ofSeconds(60), () -> {
        lakeSignals.clear();
        try {
          lakeSignals.addAll(sql.query("SELECT signal_id FROM signals.signals"));
        } catch (Exception e) {
          return false;
        }
        return lakeSignals.size() >= expectedSignals.size();
      });
      assertThat(lakeSignals).extracting(r -> (String) r.get(0)).as("signals in Iceberg after two crashes")
          .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedSignals);

      // the decision pipeline behind it: a decision per settled signal, and every decision, verdict and fill once
      Instant settled = THIRD_UNTIL.minus(Duration.ofMinutes(10));
      Set<String> settledSignals = new java.util.TreeSet<>();
      Probes.readCommitted(bootstrap, Topic.SIGNALS_RAW.topicName()).stream()
          .map(r -> EventTypes.codec(dev.tickflow.schemas.event.Signal.class).decode(r.value()))
          .filter(x -> x.getEventTime().isBefore(settled)).forEach(x -> settledSignals.add(x.getSignalId()));
      List<String> decided = new java.util.ArrayList<>();
      Probes.waitFor("a decision for every settled signal", Duration.ofSeconds(60), () -> {
        decided.clear();
        Probes.readCommitted(bootstrap, Topic.SIGNALS_QUALIFIED.topicName()).forEach(r -> decided.add(
            EventTypes.codec(dev.tickflow.schemas.event.AdvisorDecision.class).decode(r.value()).getSignalId()));
        return decided.containsAll(settledSignals);
      });
      assertThat(decided).as("decisions in Kafka after two crashes").doesNotHaveDuplicates();
      assertThat(expectedSignals).containsAll(decided);
      assertThat(Probes.readCommitted(bootstrap, Topic.TRADE_VERDICTS.topicName()).stream()
          .map(r -> EventTypes.codec(dev.tickflow.schemas.event.RiskVerdict.class).decode(r.value()).getVerdictId()))
          .as("verdicts after two crashes").doesNotHaveDuplicates();
      List<String> fills = Probes.readCommitted(bootstrap, Topic.TRADE_FILLS.topicName()).stream()
          .map(r -> EventTypes.codec(dev.tickflow.schemas.event.Fill.class).decode(r.value()).getFillId()).toList();
      assertThat(fills).as("fills after two crashes").doesNotHaveDuplicates();
      Probes.waitFor("the decisions committed to Iceberg", Duration.ofSeconds(60), () -> {
        try {
          return sql.query("SELECT decision_id FROM trading.decisions").size() >= decided.size();
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(sql.query("SELECT signal_id FROM trading.decisions")).extracting(r -> (String) r.get(0))
          .as("decisions in Iceberg after two crashes").doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(decided);
      sql.close();
    }
  }

  private static List<Path> retainedCheckpoints(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve("flink").resolve("checkpoints"))) {
      return files.filter(p -> p.getFileName().toString().equals("_metadata")).toList();
    }
  }
}
