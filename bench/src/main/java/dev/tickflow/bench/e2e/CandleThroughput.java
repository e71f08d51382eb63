package dev.tickflow.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end throughput of 1m candles from the raw topic, tickflow beside the peers a user would pick, on the
 * same broker, input and machine, one after another: a plain consumer that only decodes (the ceiling), tickflow's
 * market-data job, the same candles in Flink SQL and in Kafka Streams. Prints a table and writes JSON with the
 * machine, JVM and date to {@code bench/results/}.
 */
@Command(name = "candle-throughput", mixinStandardHelpOptions = true,
    description = "Trades/s from market_data.raw to committed 1m candles: tickflow, Flink SQL, Kafka Streams and a "
        + "plain consumer (the ceiling), side by side on an embedded broker.")
public final class CandleThroughput implements Callable<Integer> {

  @Option(names = "--trades", defaultValue = "1000000", description = "Synthetic trades on the raw topic (default: ${DEFAULT-VALUE}).")
  long trades;

  @Option(names = "--tickers", defaultValue = "20", description = "Tickers they spread over (default: ${DEFAULT-VALUE}).")
  int tickers;

  @Option(names = "--parallelism", defaultValue = "2",
      description = "Flink parallelism, Kafka Streams threads and raw-topic partitions (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--commit-interval", defaultValue = "PT1S",
      description = "Checkpoint / commit interval of every contender, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(names = "--only", split = ",", description = "Run only these: kafka-consumer, flink-floor (read, decode, "
      + "keyBy, drop: what any keyed Flink job pays), flink-floor-write (the same, every trade written back to "
      + "Kafka exactly once), tickflow, tickflow-reuse (the job with Flink's object reuse "
      + "on: what the copies between chained operators cost), flink-sql (1m only), flink-sql-same-work (dedup, "
      + "trades out, 1m..1d), kafka-streams.")
  List<String> only = List.of();

  @Option(names = "--rounds", defaultValue = "2",
      description = "Times every contender runs, in turn, in this one JVM; the table shows the last round. In the first "
          + "the JIT has not compiled the code paths yet, and contenders that run later reuse what the earlier ones "
          + "warmed (the Kafka clients, Avro, Flink's runtime), so a single round favours whoever runs last "
          + "(default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--results", defaultValue = "bench/results",
      description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
  Path results;

  @Option(names = "--kafka-port", defaultValue = "0", description = "Embedded broker port (default: a free one).")
  int kafkaPort;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CandleThroughput()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (trades < 1_000 || tickers < 1 || parallelism < 1 || rounds < 1 || commitInterval.isNegative()
        || commitInterval.isZero()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--trades must be at least 1000, --tickers, "
          + "--parallelism and --rounds at least 1, --commit-interval positive");
    }
    WorkDirectory work = WorkDirectory.create("tickflow-bench-");
    // every Flink contender checkpoints to local disk, as a deployment would to its file system or S3
    Path checkpoints = work.resolve("checkpoints");
    List<Contender> contenders = new ArrayList<>(List.of(new KafkaCeiling(),
        new TickflowCandles(parallelism, commitInterval, false, checkpoints),
        new TickflowCandles(parallelism, commitInterval, true, checkpoints),
        new FlinkFloor(parallelism, commitInterval, checkpoints, false),
        new FlinkFloor(parallelism, commitInterval, checkpoints, true),
        new FlinkSqlCandles(parallelism, commitInterval, false, checkpoints),
        new FlinkSqlCandles(parallelism, commitInterval, true, checkpoints),
        new KafkaStreamsCandles(parallelism, commitInterval, work.resolve("kafka-streams"))));
    contenders.removeIf(c -> only.isEmpty() ? c.name().equals("tickflow-reuse") : !only.contains(c.name()));
    int port = kafkaPort == 0 ? dev.tickflow.deploy.local.Ports.resolve(0) : kafkaPort;
    System.err.printf(Locale.ROOT, "producing %,d trades over %d tickers to an embedded broker ...%n", trades, tickers);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (work; BenchInput input = BenchInput.start(work.resolve("kafka"), port, dev.tickflow.deploy.local.Ports.resolve(0),
        parallelism, tickers, trades)) {
      for (int round = 1; round <= rounds; round++) {
        double ceiling = Double.NaN;
        for (Contender c : contenders) {
          System.err.printf(Locale.ROOT, "round %d of %d: running %s ...%n", round, rounds, c.name());
          Contender.Outcome o = c.run(input, round);
          double rate = input.trades / o.seconds();
          if (c instanceof KafkaCeiling) {
            ceiling = rate;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("round", round);
          row.put("contender", c.name());
          row.put("does", c.does());
          row.put("seconds", round(o.seconds()));
          row.put("tradesPerSecond", Math.round(rate));
          row.put("ofCeiling", Double.isNaN(ceiling) ? null : round(rate / ceiling));
          row.put("candles1m", o.candles() < 0 ? null : o.candles());
          rows.add(row);
          System.err.printf(Locale.ROOT, "  %s: %.1f s, %,.0f trades/s%n", c.name(), o.seconds(), rate);
        }
      }
    }
    Map<String, Object> report = BenchReport.start("candle-throughput");
    report.put("input", Map.of("trades", trades, "tickers", tickers, "partitions", parallelism,
        "commitInterval", commitInterval.toString(), "rounds", rounds));
    report.put("results", rows);
    Path file = BenchReport.write(results, report);

    System.out.printf(Locale.ROOT, "%nround %d of %d (every round is in the JSON)%n%-20s %-50s %9s %12s %10s %10s%n",
        rounds, rounds, "contender", "does", "seconds", "trades/s", "of ceiling", "1m candles");
    for (Map<String, Object> r : rows) {
      if ((Integer) r.get("round") != rounds) {
        continue;
      }
      System.out.printf(Locale.ROOT, "%-20s %-50s %9s %,12d %10s %10s%n", r.get("contender"), r.get("does"),
          r.get("seconds"), (Long) r.get("tradesPerSecond"), r.get("ofCeiling") == null ? "-" : r.get("ofCeiling"),
          r.get("candles1m") == null ? "-" : r.get("candles1m"));
    }
    System.out.println("\nwritten to " + file);
    return 0;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
