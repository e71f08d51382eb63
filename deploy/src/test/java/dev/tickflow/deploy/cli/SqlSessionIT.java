package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.testing.OhlcRows;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TimeZone;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tickflow sql} without a statement: a session over standard input. Statements end with ';', may span
 * lines, a failing one says why and the session goes on. Times are UTC even on a machine in another zone.
 */
class SqlSessionIT {

  @TempDir Path dir;

  @Test
  void statementsFromStandardInputRunInOneSession() throws Exception {
    TimeZone machine = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "tickflow", "tickflow-secret")) {
      EmbeddedS3.ensureBucket(s3.endpoint(), "tickflow", "tickflow-secret", "lake");
      CatalogConfig config = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), "lake", s3.endpoint(), "tickflow",
          "tickflow-secret");
      Path file = dir.resolve("catalog.properties");
      config.save(file);
      Catalog catalog = config.load();
      OhlcRows.appendBars(MarketTables.OHLC.ensure(catalog), 3);
      ((AutoCloseable) catalog).close();

      SqlCommand sql = new SqlCommand();
      sql.input = new ByteArrayInputStream(String.join("\n",
          "SELECT COUNT(*) AS bars FROM market.ohlc;",
          "SELECT nonsense FROM nowhere;",
          "",
          "SELECT open_time, `close`",
          "  FROM market.ohlc WHERE open_time = TIMESTAMP '2019-10-11 00:01:00';",
          "quit",
          "SELECT 'not run';").getBytes(StandardCharsets.UTF_8));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = new CommandLine(sql).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute("--catalog", file.toString(), "--format", "csv");

      assertThat(exit).isZero();
      assertThat(out.toString().lines()).containsExactly("bars", "3", "open_time,close",
          "2019-10-11T00:01:00Z,0.00141401");
      assertThat(err.toString()).contains("tickflow sql: SQL validation failed").contains("not found")
          .doesNotContain("not run");
    } finally {
      TimeZone.setDefault(machine);
    }
  }
}
