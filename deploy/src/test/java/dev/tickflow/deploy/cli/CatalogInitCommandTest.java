package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.Tables;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickflow catalog init} against a real JDBC catalog with its warehouse on an S3 API (S3Proxy). */
class CatalogInitCommandTest {

  @TempDir Path dir;

  @Test
  void createsWhatIsMissingEvolvesWhatIsOldAndChangesNothingTheSecondTime() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "tickflow", "tickflow-secret")) {
      EmbeddedS3.ensureBucket(s3.endpoint(), "tickflow", "tickflow-secret", "lake");
      CatalogConfig config = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), "lake", s3.endpoint(), "tickflow",
          "tickflow-secret");
      Path file = dir.resolve("catalog.properties");
      config.save(file);
      // market.ohlc as first released, before the taker volumes, VWAP, revisions and feed health
      Schema released = new Schema(MarketTables.OHLC_SCHEMA.columns().stream().filter(f -> f.fieldId() <= 22).toList());
      Catalog catalog = config.load();
      new TableDefinition(MarketTables.OHLC_ID, released, PartitionSpec.unpartitioned(), SortOrder.unsorted(),
          java.util.Map.of("format-version", "2")).ensure(catalog);
      ((AutoCloseable) catalog).close();

      List<String> first = init(file);
      assertThat(first).contains("evolved   market.ohlc (+taker_buy_volume, +taker_buy_quote_volume, +vwap, "
          + "+revision_reason, +feed_health)", "created   market.trades", "created   ops.deadletter",
          "created   signals.signals", "created   trading.outcomes");
      assertThat(first).filteredOn(l -> l.startsWith("created ")).hasSize(Tables.ALL.size() - 1);

      List<String> second = init(file);
      assertThat(second).filteredOn(l -> l.startsWith("unchanged ")).hasSize(Tables.ALL.size());
      assertThat(second).last().isEqualTo(Tables.ALL.size() + " tables in s3://lake/");
    }
  }

  private static List<String> init(Path catalogFile) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("catalog", "init", "--catalog", catalogFile.toString());
    assertThat(exit).as(err.toString()).isZero();
    return out.toString().lines().toList();
  }
}
