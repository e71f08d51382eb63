package dev.tickflow.bench.e2e;

import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.jobs.io.Connectors;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What any Flink job keyed by ticker pays before it does any work: tickflow's Kafka source (read_committed,
 * bounded to the topic's end), each payload decoded to a {@code RawTrade}, one network exchange keyed by ticker,
 * and a sink that counts and drops. Exactly-once checkpoints at the same interval, no state, no output topic. It
 * is the floor under every Flink contender: no job that reads this topic and groups by ticker on this
 * MiniCluster can be faster, so it says how much of the ceiling a Flink job can reach here at all.
 *
 * <p>{@code flink-floor-write} adds one thing tickflow must do: every trade written back to Kafka through
 * tickflow's exactly-once sink (its producer settings, one transaction per checkpoint). No dedup, no candles.
 */
final class FlinkFloor implements Contender {

  /** Trades the counting sink saw; the MiniCluster runs in this JVM. */
  static final AtomicLong COUNTED = new AtomicLong();

  private final int parallelism;
  private final Duration commitInterval;
  private final Path checkpoints;
  private final boolean writesBack;

  FlinkFloor(int parallelism, Duration commitInterval, Path checkpoints, boolean writesBack) {
    this.parallelism = parallelism;
    this.commitInterval = commitInterval;
    this.checkpoints = checkpoints;
    this.writesBack = writesBack;
  }

  @Override
  public String name() {
    return writesBack ? "flink-floor-write" : "flink-floor";
  }

  @Override
  public String does() {
    return writesBack ? "read + decode + keyBy + every trade to Kafka" : "read + decode + keyBy ticker, nothing else";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    RunScope scope = RunScope.audit("bench_" + name().replace('-', '_') + "_r" + round, Map.of());
    MarketDataJobConfig config = MarketDataJobConfig.defaults(input.bootstrap(), null, null).toBuilder()
        .scope(scope).parallelism(parallelism).checkpointInterval(commitInterval).quotesTopic("")
        .checkpointDir(checkpoints.resolve(scope.runId()).toUri().toString()).build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(Contender.flinkSettings());
    MarketDataJob.configure(env, config);
    COUNTED.set(0);
    KeyedStream<RawTrade, String> trades = env.fromSource(Connectors.kafkaSource(config, config.rawTopic(), "bench-flink-floor",
                new SourceRecordDeserializer(payload -> Long.MIN_VALUE)),
            WatermarkStrategy.noWatermarks(), "Kafka " + Topic.MARKET_DATA_RAW.topicName())
        .map((SourceRecord r) -> (RawTrade) EventTypes.decodeAny(r.value)).returns(RawTrade.class)
        .keyBy(FlinkFloor::ticker, Types.STRING);
    String out = scope.outputTopic(Topic.MARKET_DATA_TRADES);
    if (writesBack) {
      input.createTopics(Map.of(out, Topic.MARKET_DATA_TRADES));
      trades.sinkTo(Connectors.kafkaSink(config, Topic.MARKET_DATA_TRADES, RawTrade.class,
          t -> ticker(t).getBytes(StandardCharsets.UTF_8))).name("Kafka " + out);
    } else {
      trades.sinkTo(new CountingSink()).name("count and drop");
    }
    long started = System.nanoTime();
    env.execute("bench " + name());
    double seconds = (System.nanoTime() - started) / 1e9;
    long arrived = COUNTED.get();
    if (writesBack) {
      AtomicLong committed = new AtomicLong();
      CommittedRecords.forEach(input.bootstrap(), out, r -> committed.incrementAndGet());
      arrived = committed.get();
    }
    if (arrived != input.trades) {
      throw new IllegalStateException(name() + (writesBack ? " committed " : " saw ") + arrived + " of "
          + input.trades + " trades");
    }
    return new Outcome(seconds, -1);
  }

  /** The key tickflow gives a trade, {@code EXCHANGE:BASE/QUOTE}. */
  private static String ticker(RawTrade t) {
    return t.getExchange() + ":" + t.getSymbol();
  }

  /** Counts what reaches it and keeps nothing. */
  private static final class CountingSink implements Sink<RawTrade> {
    @Override
    public SinkWriter<RawTrade> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        private long seen;

        @Override
        public void write(RawTrade element, Context context) {
          seen++;
        }

        @Override
        public void flush(boolean endOfInput) {
          COUNTED.addAndGet(seen);
          seen = 0;
        }

        @Override
        public void close() {}
      };
    }
  }
}
