package dev.tickflow.bench.e2e;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.maintenance.LakeMaintenance;
import dev.tickflow.catalog.maintenance.MaintenancePolicy;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.deploy.local.EmbeddedKafka;
import dev.tickflow.deploy.local.EmbeddedS3;
import dev.tickflow.deploy.local.Ports;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.ingestors.synthetic.SyntheticConfig;
import dev.tickflow.ingestors.synthetic.SyntheticTrades;
import dev.tickflow.jobs.audit.AuditReplay;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the market-data job's Iceberg sinks do with a day of trades: rows per second committed to the lake
 * (market.trades, market.ohlc, market.ohlc_revisions), the commits and data files per commit they leave at the
 * job's checkpoint cadence, and how long {@code tickflow sql}'s runner takes for "one day of one ticker's 1m
 * candles" over the table as the job wrote it and after one round of {@code tickflow catalog maintain}. The job runs
 * bounded over the raw topic, as an audit replay runs it, with S3Proxy and a SQLite JDBC catalog as in
 * {@code tickflow up}.
 */
@Command(name = "lake-write", mixinStandardHelpOptions = true,
    description = "Rows/s into Iceberg, files per commit, and the one-day candle query before/after compaction.")
public final class LakeWrite implements Callable<Integer> {

  @Option(names = "--tickers", defaultValue = "2", description = "Tickers (default: ${DEFAULT-VALUE}).")
  int tickers;

  @Option(names = "--days", defaultValue = "1", description = "Days of market, one trade a second in all (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism and raw partitions (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--commit-interval", defaultValue = "PT1S", description = "Checkpoint = Iceberg commit interval (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(names = "--queries", defaultValue = "5", description = "Times each query runs; the median counts (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--results", defaultValue = "bench/results", description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
  Path results;

  private static final List<TableDefinition> WRITTEN = List.of(MarketTables.TRADES, MarketTables.OHLC,
      MarketTables.OHLC_REVISIONS);
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  public static void main(String[] args) {
    System.exit(new CommandLine(new LakeWrite()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (tickers < 1 || days < 1 || parallelism < 1 || queries < 1 || commitInterval.isNegative() || commitInterval.isZero()) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--tickers, --days, --parallelism and --queries must be at least 1, --commit-interval positive");
    }
    WorkDirectory work = WorkDirectory.create("tickflow-bench-lake-");
    long trades = 86_400L * days;
    Map<String, Object> report = BenchReport.start("lake-write");
    try (work; EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), parallelism);
         EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("s3"), 0, "bench", "bench-secret")) {
      EmbeddedS3.ensureBucket(s3.endpoint(), "bench", "bench-secret", "lake");
      CatalogConfig catalog = CatalogConfig.sqliteOnS3(work.resolve("catalog.db"), "lake", s3.endpoint(), "bench",
          "bench-secret");
      System.err.printf(Locale.ROOT, "producing %,d trades (%d day(s) of %d tickers) ...%n", trades, days, tickers);
      SyntheticTrades source = new SyntheticTrades(new SyntheticConfig(tickers, 1, 1, 0.0, 0, trades, 17, START));
      try (MarketDataProducer out = new MarketDataProducer(
          new KafkaProducer<>(RawTopicOptions.producerProperties(kafka.bootstrapServers())))) {
        while (source.hasNext()) {
          out.trade(source.next());
        }
        out.flush();
      }

      RunScope scope = RunScope.audit("bench_lake", Map.of());
      try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
        AuditReplay.createTopics(admin, scope); // the run's output topics, shaped like the live ones
      }
      MarketDataJobConfig config = MarketDataJobConfig.defaults(kafka.bootstrapServers(), catalog, null).toBuilder()
          .scope(scope).parallelism(parallelism).checkpointInterval(commitInterval).quotesTopic("").build();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
      MarketDataJob.build(env, config);
      System.err.println("running the market-data job into the lake ...");
      long started = System.nanoTime();
      env.execute("bench lake write");
      double seconds = (System.nanoTime() - started) / 1e9;

      List<Map<String, Object>> tables = new ArrayList<>();
      long rows = 0;
      Catalog c = catalog.load();
      try {
        for (TableDefinition t : WRITTEN) {
          Table table = c.loadTable(scope.table(t).identifier());
          Map<String, Object> row = commits(table);
          rows += (Long) row.get("rows");
          row.put("table", t.identifier().toString());
          tables.add(row);
        }
      } finally {
        ((AutoCloseable) c).close();
      }
      String ohlc = scope.table(MarketTables.OHLC).identifier().toString();
      String oneDay = "SELECT open_time, `open`, high, low, `close`, volume FROM " + ohlc
          + " WHERE ticker = 'SYNTH:S000/USD' AND timeframe = '1m' AND open_time >= TIMESTAMP '2024-01-01 00:00:00'"
          + " AND open_time < TIMESTAMP '2024-01-02 00:00:00' ORDER BY open_time";
      System.err.println("querying one day of one ticker's 1m candles as written ...");
      Map<String, Object> before = query(catalog, oneDay);
      System.err.println("compacting (tickflow catalog maintain) ...");
      new LakeMaintenance(catalog, new MaintenancePolicy(Duration.ofDays(7), 10, Duration.ofDays(3), 0), s -> { })
          .run(List.of(scope.table(MarketTables.OHLC).identifier()));
      Map<String, Object> after = query(catalog, oneDay);
      c = catalog.load();
      try {
        after.put("dataFiles", dataFiles(c.loadTable(scope.table(MarketTables.OHLC).identifier())));
        before.put("dataFiles", tables.get(1).get("liveDataFiles"));
      } finally {
        ((AutoCloseable) c).close();
      }

      report.put("input", Map.of("trades", trades, "tickers", tickers, "days", days, "parallelism", parallelism,
          "commitInterval", commitInterval.toString()));
      report.put("seconds", Math.round(seconds * 100) / 100.0);
      report.put("rowsPerSecond", Math.round(rows / seconds));
      report.put("tables", tables);
      report.put("oneDayQueryAsWritten", before);
      report.put("oneDayQueryCompacted", after);

      System.out.printf(Locale.ROOT, "%n%,d rows into the lake in %.1f s: %,.0f rows/s%n", rows, seconds, rows / seconds);
      System.out.printf(Locale.ROOT, "%-26s %8s %10s %14s %14s %12s%n", "table", "commits", "rows", "files/commit",
          "max files", "data files");
      for (Map<String, Object> t : tables) {
        System.out.printf(Locale.ROOT, "%-26s %8s %,10d %14s %14s %12s%n", t.get("table"), t.get("commits"),
            (Long) t.get("rows"), t.get("filesPerCommit"), t.get("maxFilesPerCommit"), t.get("liveDataFiles"));
      }
      System.out.printf(Locale.ROOT, "one day of 1m candles, one ticker: %s ms as written (%s files), %s ms compacted"
          + " (%s files); %s rows%n", before.get("medianMs"), before.get("dataFiles"), after.get("medianMs"),
          after.get("dataFiles"), after.get("rows"));
    }
    Path file = BenchReport.write(results, report);
    System.out.println("\nwritten to " + file);
    return 0;
  }

  private static Map<String, Object> commits(Table table) {
    long commits = 0;
    long files = 0;
    long maxFiles = 0;
    long rows = 0;
    for (Snapshot s : table.snapshots()) {
      Map<String, String> summary = s.summary();
      long added = Long.parseLong(summary.getOrDefault("added-data-files", "0"))
          + Long.parseLong(summary.getOrDefault("added-delete-files", "0"));
      commits++;
      files += added;
      maxFiles = Math.max(maxFiles, added);
      rows += Long.parseLong(summary.getOrDefault("added-records", "0"));
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("commits", commits);
    row.put("rows", rows);
    row.put("filesPerCommit", commits == 0 ? 0 : Math.round(100.0 * files / commits) / 100.0);
    row.put("maxFilesPerCommit", maxFiles);
    row.put("liveDataFiles", dataFiles(table));
    return row;
  }

  private static long dataFiles(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-data-files", "0"))
        + Long.parseLong(current.summary().getOrDefault("total-delete-files", "0"));
  }

  private Map<String, Object> query(CatalogConfig catalog, String sql) throws Exception {
    long[] ms = new long[queries];
    int rows = 0;
    try (SqlRunner runner = new SqlRunner(catalog)) {
      runner.query(sql); // the runner's first query also starts its batch environment: not counted
      for (int i = 0; i < queries; i++) {
        long t = System.nanoTime();
        rows = runner.query(sql).size();
        ms[i] = (System.nanoTime() - t) / 1_000_000;
      }
    }
    Arrays.sort(ms);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("medianMs", ms[ms.length / 2]);
    out.put("minMs", ms[0]);
    out.put("maxMs", ms[ms.length - 1]);
    out.put("rows", rows);
    return out;
  }
}
