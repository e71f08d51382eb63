package dev.tickflow.bench.e2e;

import dev.tickflow.jobs.io.Connectors;
import org.apache.flink.configuration.Configuration;

/** One way of turning the raw topic into 1m candles (or, for the ceiling, of just reading it). */
interface Contender {

  /**
   * Producer batching every contender's Kafka output uses: tickflow's sinks' own, so that no contender wins or
   * loses by its producer's defaults.
   */
  int PRODUCER_BATCH_BYTES = Connectors.SINK_BATCH_BYTES;
  int PRODUCER_LINGER_MS = Connectors.SINK_LINGER_MS;

  /**
   * Flink settings every Flink contender starts from: no restarts. A job that failed and restarted would be
   * timed with its restarts, or, failing every checkpoint, run until someone noticed (a SQL peer did, its dedup
   * state over the JobManager's 5 MB limit).
   */
  static Configuration flinkSettings() {
    Configuration conf = new Configuration();
    conf.setString("restart-strategy.type", "none");
    return conf;
  }

  /** The name in the results table. */
  String name();

  /** What it computes, for the table. */
  String does();

  /**
   * Reads all of the input once, from a fresh job (its own consumer group and output topics for each
   * {@code round}), and says how long it took and what it wrote.
   */
  Outcome run(BenchInput input, int round) throws Exception;

  /**
   * @param seconds wall time from submit to the last record read and its outputs committed
   * @param candles 1m candles it wrote (-1: it writes none)
   */
  record Outcome(double seconds, long candles) {}
}
