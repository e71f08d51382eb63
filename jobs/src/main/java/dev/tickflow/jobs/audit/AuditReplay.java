package dev.tickflow.jobs.audit;

import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.io.RunScope.OffsetRange;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.patterns.PatternSpec;
import dev.tickflow.jobs.signals.SignalJob;
import dev.tickflow.jobs.trading.TradingConfig;
import dev.tickflow.jobs.trading.TradingJob;
import dev.tickflow.schemas.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Runs the live job's graph over a bounded range, in two stages as the live job's pipelines meet through Kafka:
 * first the market-data pipeline over the replayed raw records (writing the run's own copies of
 * {@code market_data.trades} and {@code market_data.ohlc}), then the signal and decision pipelines over those copies.
 * Everything is written under the run's id ({@link RunScope}); nothing live is written or committed.
 *
 * <p>From a savepoint or retained checkpoint of the live job, each stage restores its operators' state (detector
 * history, open bars, positions) and nothing else: sources and sinks have audit uids of their own, so the live job's
 * source positions, transactions and pending Iceberg commits stay where they are.
 */
public final class AuditReplay {

  /** Topics an audit run writes (its own copies), in the order the pipeline fills them. */
  public static final List<Topic> OUTPUTS = List.of(Topic.MARKET_DATA_TRADES, Topic.MARKET_DATA_OHLC,
      Topic.SIGNALS_ALERTS, Topic.SIGNALS_RAW, Topic.SIGNALS_QUALIFIED, Topic.TRADE_INTENTS, Topic.TRADE_VERDICTS,
      Topic.TRADE_FILLS, Topic.SIGNAL_OUTCOMES, Topic.METRICS_SNAPSHOT, Topic.TRADING_AUDIT, Topic.DEADLETTER);

  private static final int TIMEOUT_SECONDS = 30;

  /**
   * What to replay and with what.
   *
   * @param job the live job's settings (detectors, patterns, trading, lateness) with the run's {@link RunScope}
   * @param restoreFrom savepoint or retained checkpoint to start from; null: empty state
   * @param workDir where the run's checkpoints go
   */
  public record Plan(MarketDataJobConfig job, List<DetectorConfig> detectors, List<PatternSpec> patterns,
      TradingConfig trading, String restoreFrom, Path workDir) {}

  private AuditReplay() {}

  /**
   * The run's scope: {@code range} of the replayed topic and, over the same stretch of Kafka time, the live quotes;
   * every other live input (operator commands, calibration, detector changes) in full, as a job starting now would
   * read them.
   */
  public static RunScope scope(String runId, ReplayRange range, Admin admin, String quotesTopic)
      throws InterruptedException {
    Map<String, Map<Integer, OffsetRange>> ranges = new HashMap<>();
    ranges.put(range.topic(), range.partitions());
    if (!quotesTopic.isEmpty() && !quotesTopic.equals(range.topic()) && range.firstTimestamp() != null) {
      ranges.put(quotesTopic, byTime(admin, quotesTopic, range.firstTimestamp(),
          range.lastTimestamp().plusMillis(1)));
    }
    return RunScope.audit(runId, ranges);
  }

  /** Creates the run's topics, shaped like the live ones (partitions, replication, configs). */
  public static void createTopics(Admin admin, RunScope scope) throws InterruptedException {
    try {
      Map<String, TopicDescription> live = admin.describeTopics(OUTPUTS.stream().map(Topic::topicName).toList())
          .allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> topics = new ArrayList<>();
      for (Topic t : OUTPUTS) {
        TopicDescription d = live.get(t.topicName());
        topics.add(new NewTopic(scope.outputTopic(t), d.partitions().size(),
            (short) d.partitions().get(0).replicas().size()).configs(t.configs()));
      }
      admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new IllegalStateException("run " + scope.runId() + " already has topics: " + e.getCause().getMessage());
      }
      throw new IllegalStateException("could not create the run's topics: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not create the run's topics within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /** Runs both stages to their end, reporting progress to {@code progress}. */
  public static void run(Plan plan, Admin admin, PrintWriter progress) throws Exception {
    MarketDataJobConfig c = plan.job();
    ReplayProgress.Expected stage1 = new ReplayProgress.Expected(
        c.scope().ranges().values().stream().flatMap(m -> m.values().stream()).mapToLong(OffsetRange::count).sum());
    runStage(plan, "market data", env -> MarketDataJob.build(env, c), stage1, progress);
    runDecisions(plan, admin, progress);
  }

  /**
   * The second stage alone, over what the run's {@code market_data.ohlc} and {@code market_data.trades} hold: what a
   * backtest runs after {@link HistoryFeed} filled them from the lake.
   */
  public static void runDecisions(Plan plan, Admin admin, PrintWriter progress) throws Exception {
    MarketDataJobConfig c = plan.job();
    long records = endOffsets(admin, Set.of(c.scope().outputTopic(Topic.MARKET_DATA_OHLC),
        c.scope().outputTopic(Topic.MARKET_DATA_TRADES)));
    runStage(plan, "signals and decisions", env -> {
      MarketDataJob.configure(env, c);
      SignalJob.Streams signals = SignalJob.addTo(env, c, plan.detectors(), plan.patterns());
      TradingJob.addTo(env, c, plan.trading(), signals.signals(), signals.candles());
    }, new ReplayProgress.Expected(records), progress);
  }

  private interface Graph {
    void addTo(StreamExecutionEnvironment env) throws Exception;
  }

  private static void runStage(Plan plan, String name, Graph graph, ReplayProgress.Expected expected,
      PrintWriter progress) throws Exception {
    Configuration conf = new Configuration();
    int port = freePort();
    conf.set(RestOptions.PORT, port);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    // the REST counters progress reads are refreshed every 10 s by default: too slow for a 5 s progress line
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
    Path checkpoints = plan.workDir().resolve(name.replace(' ', '-'));
    Files.createDirectories(checkpoints);
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    if (plan.restoreFrom() != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, plan.restoreFrom());
      // each stage takes its own operators' state; the other stage's, and the live sources' and sinks', stay
      conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    graph.addTo(env);
    JobClient job = env.executeAsync("tickflow replay " + plan.job().scope().runId() + ": " + name);
    new ReplayProgress("http://127.0.0.1:" + port, job.getJobID().toHexString(), name, expected, progress)
        .awaitEnd(job);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Offsets (records and markers) in {@code topics}: the second stage's work, for its progress. */
  private static long endOffsets(Admin admin, Set<String> topics) throws Exception {
    Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    d.values().forEach(t -> t.partitions().forEach(p -> query.put(new TopicPartition(t.name(), p.partition()),
        OffsetSpec.latest())));
    return admin.listOffsets(query).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
        .mapToLong(i -> i.offset()).sum();
  }

  /** Per partition of {@code topic}: the records whose Kafka time is in {@code [from, to)}. */
  static Map<Integer, OffsetRange> byTime(Admin admin, String topic, Instant from, Instant to)
      throws InterruptedException {
    try {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      d.partitions().forEach(p -> {
        TopicPartition tp = new TopicPartition(topic, p.partition());
        latest.put(tp, OffsetSpec.latest());
        starts.put(tp, OffsetSpec.forTimestamp(from.toEpochMilli()));
        ends.put(tp, OffsetSpec.forTimestamp(to.toEpochMilli()));
      });
      var end = admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var a = admin.listOffsets(starts).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      var b = admin.listOffsets(ends).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<Integer, OffsetRange> ranges = new HashMap<>();
      end.forEach((tp, e) -> {
        long x = a.get(tp).offset() < 0 ? e.offset() : a.get(tp).offset();
        long y = b.get(tp).offset() < 0 ? e.offset() : b.get(tp).offset();
        ranges.put(tp.partition(), new OffsetRange(x, Math.max(x, y)));
      });
      return ranges;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not find the offsets of '" + topic + "' between " + from + " and " + to
          + ": " + e.getMessage(), e);
    }
  }
}
