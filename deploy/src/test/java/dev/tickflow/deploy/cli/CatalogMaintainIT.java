package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.maintenance.TableStats;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.testing.OhlcRows;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tickflow catalog maintain} on a table a streaming writer left with one small file and one snapshot per
 * commit, in a real JDBC catalog with its warehouse on S3Proxy.
 */
class CatalogMaintainIT {

  private static final String QUERY = "SELECT COUNT(*), SUM(volume), MIN(open_time), MAX(`close`) FROM market.ohlc";

  @TempDir Path dir;

  @Test
  void compactsExpiresAndCleansWithoutChangingAnswersAndTimeTravelKeepsItsWindow() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "tickflow", "tickflow-secret")) {
      EmbeddedS3.ensureBucket(s3.endpoint(), "tickflow", "tickflow-secret", "lake");
      CatalogConfig config = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), "lake", s3.endpoint(), "tickflow",
          "tickflow-secret");
      Path file = dir.resolve("catalog.properties");
      config.save(file);
      run(file, "catalog", "init");
      Catalog catalog = config.load();
      Table ohlc = catalog.loadTable(MarketTables.OHLC_ID);
      OhlcRows.appendBars(ohlc, 30);
      ohlc.refresh();
      long firstSnapshot = oldest(ohlc).snapshotId();
      List<Snapshot> appends = java.util.stream.StreamSupport.stream(ohlc.snapshots().spliterator(), false)
          .sorted(java.util.Comparator.comparingLong(Snapshot::sequenceNumber)).toList();
      String stray = ohlc.location() + "/data/stray-" + System.nanoTime() + ".parquet";
      OutputFile orphan = ohlc.io().newOutputFile(stray);
      try (PositionOutputStream o = orphan.create()) {
        o.write(new byte[] {1, 2, 3}); // as a crashed writer leaves it: in the table's folder, in no snapshot
      }
      TableStats before = TableStats.of(ohlc);
      assertThat(before.dataFiles()).isEqualTo(30);
      assertThat(before.snapshots()).isEqualTo(30);
      List<List<Object>> answer = query(config, QUERY);

      // 1: everything is younger than the retention: files compacted, no snapshot expired
      String out = run(file, "catalog", "maintain", "--table", "market.ohlc", "--snapshot-retention", "1h",
          "--retain-last", "1", "--orphan-min-age", "0s");
      assertThat(out).startsWith("market.ohlc: 30 data files, 0 delete files, 30 snapshots");
      TableStats compacted = TableStats.of(ohlc);
      assertThat(compacted.dataFiles()).isEqualTo(1);
      assertThat(compacted.snapshots()).isGreaterThan(30);
      assertThat(compacted.manifests()).isEqualTo(1);
      assertThat(ohlc.io().newInputFile(stray).exists()).as("orphan removed").isFalse();
      assertThat(query(config, QUERY)).isEqualTo(answer);
      assertThat(query(config, "SELECT COUNT(*) FROM market.ohlc /*+ OPTIONS('snapshot-id'='" + firstSnapshot
          + "') */")).containsExactly(List.of(1L));
      // and by time: the table as of the tenth commit holds the bars of every commit made by then
      long asOf = appends.get(9).timestampMillis();
      long barsByThen = appends.stream().filter(a -> a.timestampMillis() <= asOf).count();
      assertThat(query(config, "SELECT COUNT(*) FROM market.ohlc /*+ OPTIONS('as-of-timestamp'='" + asOf
          + "') */")).containsExactly(List.of(barsByThen));

      // 2: a retention of nothing keeps only the newest two snapshots; the old ones are gone for time travel
      run(file, "catalog", "maintain", "--table", "market.ohlc", "--snapshot-retention", "0s", "--retain-last", "2",
          "--orphan-min-age", "0s");
      TableStats expired = TableStats.of(ohlc);
      assertThat(expired.snapshots()).isEqualTo(2);
      assertThat(expired.dataFiles()).isEqualTo(1);
      assertThat(query(config, QUERY)).isEqualTo(answer);
      assertThatThrownBy(() -> query(config, "SELECT COUNT(*) FROM market.ohlc /*+ OPTIONS('snapshot-id'='"
          + firstSnapshot + "') */")).hasStackTraceContaining(Long.toString(firstSnapshot));
      ((AutoCloseable) catalog).close();
    }
  }

  private static Snapshot oldest(Table table) {
    Snapshot oldest = null;
    for (Snapshot s : table.snapshots()) {
      if (oldest == null || s.sequenceNumber() < oldest.sequenceNumber()) {
        oldest = s;
      }
    }
    return oldest;
  }

  private static List<List<Object>> query(CatalogConfig config, String sql) throws Exception {
    try (SqlRunner runner = new SqlRunner(config)) {
      return runner.query(sql);
    }
  }

  private static String run(Path catalogFile, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] argv = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--catalog", catalogFile.toString())).toArray(String[]::new);
    int exit = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(argv);
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }
}
