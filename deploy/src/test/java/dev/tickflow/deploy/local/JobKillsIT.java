package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.jobs.audit.AuditReplay;
import dev.tickflow.jobs.audit.OutputDigest;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through ten kills. While four hours of Binance trades stream in, the market-data job with the
 * example detectors and paper trading is killed ten times at random points (cancelled without a savepoint once a
 * random number of checkpoints has completed since its start and a random number of further trades has arrived),
 * and restored from its newest retained checkpoint each time, Kafka, S3 and the catalog running on. Then every
 * output topic (read_committed) holds exactly the bytes an uninterrupted run over the same input writes
 * ({@code tickflow replay}, compared as per-topic multiset digests), the lake's tables equal that run's (the
 * audit diff: IDENTICAL), every trade is in the lake once and the candles equal Binance's klines. The kill
 * schedule's seed is printed; {@code -Dtickflow.kill-seed=N} repeats one. (The live topics lack only what an
 * unbounded job cannot have written yet: the bars still open when the stream stops, and an hourly snapshot due
 * with them, which the bounded run flushes at the end of its input.)
 *
 * <p>The whole-process SIGKILL, where nothing of the JVM gets to close, is {@link CrashRecoveryIT}'s subject.
 */
class JobKillsIT {

  /** The stream during the kills runs to here; the last hour comes after the last restore. */
  private static final Instant KILLS_UNTIL = Instant.parse("2019-10-11T04:00:00Z");
  private static final Instant UNTIL = Instant.parse("2019-10-11T05:00:00Z");
  private static final int KILLS = Integer.getInteger("tickflow.kills", 10);
  /** Four hours of trades in two minutes: the stream runs through the kills. */
  private static final int REPLAY_SPEED = 120;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void tenKillsAtRandomPointsLeaveExactlyTheRowsOfAnUninterruptedRun() throws Exception {
    long seed = Long.getLong("tickflow.kill-seed", System.nanoTime());
    System.out.println("JobKillsIT: kill schedule seed " + seed + " (-Dtickflow.kill-seed=" + seed + " repeats it)");
    Random random = new Random(seed);
    Path trading = SampleExpectations.tradingSettings(dataDir);
    Path detectors = Path.of("../docs/detectors").toAbsolutePath();
    LocalStackConfig config = LocalStackConfig.forTests(dataDir.resolve("stack")).withTrading(detectors, trading);

    try (LocalStack stack = LocalStack.start(config)) {
      String kafka = stack.kafkaBootstrap();
      long expectedTrades = SampleExpectations.tradesBefore(UNTIL);
      long tradesDuringKills = SampleExpectations.tradesBefore(KILLS_UNTIL);
      CompletableFuture<Void> stream = CompletableFuture.runAsync(
          () -> produce(kafka, SampleExpectations.START, KILLS_UNTIL, REPLAY_SPEED));

      List<String> restoredFrom = new ArrayList<>();
      for (int kill = 1; kill <= KILLS; kill++) {
        int checkpoints = 1 + random.nextInt(5);
        long moreTrades = random.nextInt(40); // the sample trades a few times a minute: up to ~20 s at this pace
        LocalFlink job = (LocalFlink) stack.flink();
        String jobId = job.job().getJobID().toHexString();
        Probes.waitFor(checkpoints + " checkpoints of job " + jobId, Duration.ofSeconds(120),
            () -> Probes.completedCheckpoints(job.webUi(), jobId) >= checkpoints);
        long target = Math.min(Probes.rawRecords(kafka) + moreTrades, tradesDuringKills);
        Probes.waitFor(moreTrades + " more trades", Duration.ofSeconds(120),
            () -> Probes.rawRecords(kafka) >= target || stream.isDone());
        System.out.printf("JobKillsIT: kill %d after %d checkpoints, %d trades in%n", kill, checkpoints,
            Probes.rawRecords(kafka));
        restoredFrom.add(stack.killJobAndRecover());
      }
      assertThat(restoredFrom).as("every start restored a retained checkpoint").allMatch(p -> p.contains("/chk-"))
          .doesNotHaveDuplicates();
      stream.get(300, TimeUnit.SECONDS);
      // after a restore, event time moves with the next records the sources read (the paths that gate the
      // advisor never report idle): the market goes on, so the restored job has input to move with
      produce(kafka, KILLS_UNTIL, UNTIL, 0);
      assertThat(Probes.rawRecords(kafka)).isEqualTo(expectedTrades);
      try {
        Probes.awaitSettled(stack, kafka, UNTIL.minus(Duration.ofMinutes(10)));
      } catch (AssertionError stuck) {
        Probes.describeOutputs(kafka);
        LocalFlink job = (LocalFlink) stack.flink();
        Probes.describeWatermarks(job.webUi(), job.job().getJobID().toHexString());
        throw stuck;
      }

      // the uninterrupted run: the same graph over the same offsets, bounded, into its own topics and tables
      String runId = "uninterrupted";
      String[] replay = {"replay", "--bootstrap-servers", kafka, "--catalog",
          dataDir.resolve("stack/catalog.properties").toString(), "--detectors", detectors.toString(), "--trading",
          trading.toString(), "--run-id", runId, "--format", "json"};
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(replay);
      System.out.println("JobKillsIT: tickflow replay -> " + code + "\n" + out + err);
      JsonNode report = JSON.readTree(out.toString());
      assertThat(report.path("result").asText()).as("the lake against the uninterrupted run").isEqualTo("IDENTICAL");
      assertThat(code).isZero();

      // Kafka, record for record: live holds nothing the uninterrupted run lacks (no duplicate, no other bytes),
      // and lacks only what a live job cannot have written yet: the bars still open at the end of the stream and
      // what falls due with them, which the bounded run flushed when its input ended
      Instant closedThrough = Probes.readCommitted(kafka, Topic.MARKET_DATA_OHLC.topicName()).stream()
          .map(r -> EventTypes.codec(Candle.class).decode(r.value()).getCloseTime()).max(Instant::compareTo)
          .orElseThrow();
      Map<String, Integer> notYetDue = new java.util.TreeMap<>();
      for (Topic t : AuditReplay.OUTPUTS) {
        Map<java.nio.ByteBuffer, Integer> expected = new HashMap<>();
        Probes.readCommitted(kafka, t.topicName() + "." + runId).forEach(r -> expected.merge(bytes(r), 1, Integer::sum));
        for (var r : Probes.readCommitted(kafka, t.topicName())) {
          Integer left = expected.get(bytes(r));
          assertThat(left).as(t.topicName() + " at offset " + r.offset() + ": a record the uninterrupted run did not "
              + "write, or wrote fewer times").isNotNull().isPositive();
          expected.put(bytes(r), left - 1);
        }
        for (var e : expected.entrySet()) {
          if (e.getValue() > 0) {
            Instant due = dueTime(e.getKey());
            assertThat(due).as(t.topicName() + ": only in the uninterrupted run, due " + due).isAfter(closedThrough);
            notYetDue.merge(t.topicName(), e.getValue(), Integer::sum);
          }
        }
        if (!notYetDue.containsKey(t.topicName())) {
          OutputDigest d = OutputDigest.of(kafka, t.topicName() + "." + runId);
          assertThat(OutputDigest.of(kafka, t.topicName())).as(t.topicName() + ", byte for byte")
              .isEqualTo(new OutputDigest(t.topicName(), d.records(), d.sha256()));
        }
      }
      System.out.println("JobKillsIT: still open live at " + closedThrough + ": " + notYetDue);
      assertThat(notYetDue.keySet()).as("topics where live waits for time to pass")
          .isSubsetOf(Topic.MARKET_DATA_OHLC.topicName(), Topic.METRICS_SNAPSHOT.topicName());
      assertThat(Probes.readCommitted(kafka, Topic.MARKET_DATA_TRADES.topicName())).hasSize((int) expectedTrades);
      assertThat(Probes.readCommitted(kafka, Topic.SIGNALS_RAW.topicName())).as("signals compared").hasSizeGreaterThan(5);
      assertThat(Probes.readCommitted(kafka, Topic.TRADE_FILLS.topicName())).as("fills compared").hasSizeGreaterThan(5);

      SqlRunner sql = new SqlRunner(stack.catalog());
      assertThat(sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades").get(0))
          .as("every trade in the lake once").containsExactly(expectedTrades, expectedTrades);
      SampleExpectations.assertLakeBarsEqualKlines(sql, SampleExpectations.lastFinalBar(UNTIL));
    }
  }

  /** A record's key and value as one comparable value. */
  private static java.nio.ByteBuffer bytes(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
    byte[] key = r.key() == null ? new byte[0] : r.key();
    byte[] value = r.value() == null ? new byte[0] : r.value();
    return java.nio.ByteBuffer.allocate(4 + key.length + value.length).putInt(key.length).put(key).put(value).flip();
  }

  /** When a record falls due: a candle at its close, anything else at its event time. */
  private static Instant dueTime(java.nio.ByteBuffer record) {
    java.nio.ByteBuffer b = record.duplicate();
    b.position(4 + b.getInt(0));
    byte[] value = new byte[b.remaining()];
    b.get(value);
    org.apache.avro.specific.SpecificRecord event = EventTypes.decodeAny(value);
    var schema = event.getSchema();
    String field = schema.getField("closeTime") != null ? "closeTime" : "eventTime";
    return (Instant) event.get(schema.getField(field).pos());
  }

  private static void produce(String bootstrap, Instant from, Instant until, int speed) {
    ReplayConfig config = ReplayConfig.sample(bootstrap, speed).withWindow(from, until);
    try (Producer<String, byte[]> producer = new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrap))) {
      new TradeReplay(config, producer).run();
    } catch (Exception e) {
      throw new IllegalStateException("the trade stream failed", e);
    }
  }
}
