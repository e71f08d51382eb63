package dev.tickflow.bench;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.maintenance.LakeMaintenance;
import dev.tickflow.catalog.maintenance.MaintenancePolicy;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.testing.OhlcRows;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@code tickflow sql} takes for the questions users ask most, over hours of 1m candles that a
 * streaming writer left as one file per commit, before and after {@code tickflow catalog maintain} compacted
 * them. Each query is a whole Flink batch job (the runner's cost is in every number); the peer is the same
 * query on the same rows before compaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class LakeQueryBenchmark {

  /** Commits (one 1m bar file each) the writer left. */
  @Param({"240"})
  int commits;

  /** {@code raw}: as written; {@code compacted}: after one round of maintenance. */
  @Param({"raw", "compacted"})
  String layout;

  private Path dir;
  private EmbeddedS3 s3;
  private SqlRunner sql;

  @Setup(Level.Trial)
  public void writeTheLake() throws Exception {
    dir = Files.createTempDirectory("tickflow-lake-bench");
    s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "bench", "bench-secret");
    EmbeddedS3.ensureBucket(s3.endpoint(), "bench", "bench-secret", "lake");
    CatalogConfig config = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), "lake", s3.endpoint(), "bench",
        "bench-secret");
    Catalog catalog = config.load();
    Table ohlc = MarketTables.OHLC.ensure(catalog);
    OhlcRows.appendBars(ohlc, commits);
    ((AutoCloseable) catalog).close();
    if (layout.equals("compacted")) {
      new LakeMaintenance(config, new MaintenancePolicy(Duration.ofDays(7), 10, Duration.ofDays(3), 0), s -> { })
          .run(List.of(MarketTables.OHLC_ID));
    }
    sql = new SqlRunner(config);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    sql.close();
    s3.close();
  }

  @Benchmark
  public List<List<Object>> oneDayOfOneTickersCandles() throws Exception {
    return sql.query("SELECT open_time, `open`, high, low, `close`, volume FROM market.ohlc "
        + "WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '1m' "
        + "AND open_time >= TIMESTAMP '2019-10-11 00:00:00' AND open_time < TIMESTAMP '2019-10-12 00:00:00' "
        + "ORDER BY open_time");
  }

  @Benchmark
  public List<List<Object>> last100Candles() throws Exception {
    return sql.query("SELECT open_time, `close` FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' "
        + "AND timeframe = '1m' ORDER BY open_time DESC LIMIT 100");
  }
}
