package dev.tickflow.bench.e2e;

/** One way of turning the raw topic into 1m candles (or, for the ceiling, of just reading it). */
interface Contender {

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
