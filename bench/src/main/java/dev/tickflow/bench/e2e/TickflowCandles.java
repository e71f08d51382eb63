package dev.tickflow.bench.e2e;

import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * tickflow's market-data job as it runs live (normalizer, dedup, 1m candles with provisional updates, feed
 * health, rollups to 5m..1d, exactly-once Kafka sinks), bounded to the raw topic as an audit replay runs it, on a
 * MiniCluster. The lake and the relay are left out: the peers write to Kafka only.
 */
final class TickflowCandles implements Contender {

  private final int parallelism;
  private final Duration commitInterval;

  private final boolean objectReuse;
  private final Path checkpoints;

  TickflowCandles(int parallelism, Duration commitInterval, boolean objectReuse, Path checkpoints) {
    this.parallelism = parallelism;
    this.commitInterval = commitInterval;
    this.objectReuse = objectReuse;
    this.checkpoints = checkpoints;
  }

  @Override
  public String name() {
    return objectReuse ? "tickflow-reuse" : "tickflow";
  }

  @Override
  public String does() {
    return "validate + dedup + 1m..1d candles, exactly once";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    RunScope scope = RunScope.audit("bench_" + name().replace('-', '_') + "_r" + round, Map.of());
    input.createTopics(Map.of(scope.outputTopic(Topic.MARKET_DATA_TRADES), Topic.MARKET_DATA_TRADES,
        scope.outputTopic(Topic.MARKET_DATA_OHLC), Topic.MARKET_DATA_OHLC,
        scope.outputTopic(Topic.DEADLETTER), Topic.DEADLETTER));
    MarketDataJobConfig config = MarketDataJobConfig.defaults(input.bootstrap(), null, null).toBuilder()
        .scope(scope).parallelism(parallelism).checkpointInterval(commitInterval).quotesTopic("")
        .checkpointDir(checkpoints.resolve(scope.runId()).toUri().toString()).build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Contender.flinkSettings());
    if (objectReuse) {
      // an experiment, not how the job runs: it measures what Flink's defensive copies between chained
      // operators cost (see docs/benchmarks.md)
      env.getConfig().enableObjectReuse();
    }
    MarketDataJob.build(env, config);
    long started = System.nanoTime();
    env.execute("bench tickflow candles");
    double seconds = (System.nanoTime() - started) / 1e9;
    AtomicLong oneMinute = new AtomicLong();
    CommittedRecords.forEach(input.bootstrap(), scope.outputTopic(Topic.MARKET_DATA_OHLC), r -> {
      if (EventTypes.codec(Candle.class).decode(r.value()).getTimeframe().equals("1m")) {
        oneMinute.incrementAndGet();
      }
    });
    AtomicLong trades = new AtomicLong();
    AtomicLong deadLetters = new AtomicLong();
    CommittedRecords.forEach(input.bootstrap(), scope.outputTopic(Topic.MARKET_DATA_TRADES), r -> trades.incrementAndGet());
    CommittedRecords.forEach(input.bootstrap(), scope.outputTopic(Topic.DEADLETTER), r -> {
      if (deadLetters.incrementAndGet() <= 3) {
        System.err.println("  dead letter: " + EventTypes.codec(dev.tickflow.schemas.event.DeadLetter.class)
            .decode(r.value()).getReason());
      }
    });
    // a check, not a timing: docs/benchmarks.md ("Found while measuring") says why it is here
    System.err.printf("  %s: %d of %d trades and %d dead letters committed%s%n", name(), trades.get(), input.trades,
        deadLetters.get(), trades.get() + deadLetters.get() < input.trades ? " -- RECORDS MISSING" : "");
    return new Outcome(seconds, oneMinute.get());
  }
}
