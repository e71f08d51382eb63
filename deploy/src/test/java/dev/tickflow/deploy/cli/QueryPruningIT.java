package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.testing.OhlcRows;
import dev.tickflow.catalog.testing.RecordingScanReporter;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.metrics.ScanReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The questions users ask most are answered from partition pruning and file statistics, not full scans: the
 * Iceberg scan report of the very SQL query tickflow sql runs says how many data files it read.
 */
class QueryPruningIT {

  @TempDir Path dir;

  @Test
  void oneDayOfOneTickersCandlesReadsOnlyItsOwnFiles() throws Exception {
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "tickflow", "tickflow-secret")) {
      EmbeddedS3.ensureBucket(s3.endpoint(), "tickflow", "tickflow-secret", "lake");
      CatalogConfig config = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), "lake", s3.endpoint(), "tickflow",
          "tickflow-secret");
      Catalog catalog = config.load();
      Table ohlc = MarketTables.OHLC.ensure(catalog);
      // 3 days x 2 tickers x 2 timeframes x 2 bars, one file each, as a streaming writer leaves them: 24 files
      for (int day = 0; day < 3; day++) {
        for (String ticker : List.of("BINANCE:XRP/ETH", "BINANCE:BTC/USDT")) {
          for (String tf : List.of("1m", "5m")) {
            for (int minute = 0; minute < 2; minute++) {
              Record bar = OhlcRows.bar(ohlc.schema(), minute * 5);
              OffsetDateTime open = ((OffsetDateTime) bar.getField("open_time")).plusDays(day);
              bar.setField("ticker", ticker);
              bar.setField("base", ticker.substring(8, ticker.indexOf('/')));
              bar.setField("quote", ticker.substring(ticker.indexOf('/') + 1));
              bar.setField("timeframe", tf);
              bar.setField("open_time", open);
              bar.setField("close_time", open.plusMinutes(tf.equals("1m") ? 1 : 5));
              OhlcRows.append(ohlc, bar);
            }
          }
        }
      }
      ((AutoCloseable) catalog).close();

      String oneDay = "SELECT open_time, `close` FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '1m'"
          + " AND open_time >= TIMESTAMP '2019-10-12 00:00:00' AND open_time < TIMESTAMP '2019-10-13 00:00:00'"
          + " ORDER BY open_time";
      try (SqlRunner sql = new SqlRunner(config,
          Map.of("metrics-reporter-impl", RecordingScanReporter.class.getName()))) {
        String plan = sql.query("EXPLAIN " + oneDay).get(0).get(0).toString();
        assertThat(plan).as("the filter goes into the Iceberg scan").containsPattern("filter=\\[.*ticker")
            .contains("open_time");

        RecordingScanReporter.SCANS.clear();
        assertThat(sql.query(oneDay)).hasSize(2);
        ScanReport scan = RecordingScanReporter.SCANS.stream()
            .filter(r -> r.tableName().endsWith("market.ohlc")).reduce((a, b) -> b).orElseThrow();
        assertThat(scan.scanMetrics().resultDataFiles().value()).as("data files read").isEqualTo(2);
        assertThat(scan.scanMetrics().skippedDataFiles().value() + skippedManifests(scan))
            .as("what was never opened").isPositive();

        RecordingScanReporter.SCANS.clear();
        assertThat(sql.query("SELECT open_time FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' "
            + "AND timeframe = '1m' ORDER BY open_time DESC LIMIT 100")).hasSize(6);
        ScanReport last100 = RecordingScanReporter.SCANS.stream()
            .filter(r -> r.tableName().endsWith("market.ohlc")).reduce((a, b) -> b).orElseThrow();
        assertThat(last100.scanMetrics().resultDataFiles().value()).as("one ticker and timeframe of 24 files")
            .isEqualTo(6);
      }
    }
  }

  private static long skippedManifests(ScanReport scan) {
    return scan.scanMetrics().skippedDataManifests().value();
  }
}
