package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.Tables;
import dev.tickflow.catalog.testing.PostgresServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake as other engines see it: the local stack keeps its Iceberg catalog in a real PostgreSQL server and
 * serves it over Iceberg's REST protocol; a plain {@link RESTCatalog} client, configured with nothing but the
 * server's URI (as Spark, Trino or PyIceberg would be), lists the namespaces and tables and reads the candles the
 * Flink job wrote, after a round of the stack's scheduled table maintenance, and they are Binance's klines.
 */
class RestCatalogIT {

  private static final Instant UNTIL = Instant.parse("2019-10-11T01:00:00Z");

  @TempDir Path dataDir;

  @Test
  void aRestClientReadsWhatTheJobWroteIntoACatalogOnPostgres() throws Exception {
    try (PostgresServer pg = PostgresServer.start();
        LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir).withCatalogDatabase(
            new LocalStackConfig.CatalogDatabase(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD))
            .withMaintenanceInterval(Duration.ofSeconds(5)))) {
      Probes.replay(stack.kafkaBootstrap(), UNTIL);
      long lastBar = SampleExpectations.lastFinalBar(UNTIL);
      Probes.awaitCandle(stack.catalog(), lastBar, Duration.ofSeconds(120));
      // the stack's scheduled maintenance runs beside the live job; what is read below comes after it
      long rounds = stack.maintenanceRounds();
      Probes.waitFor("a round of table maintenance", Duration.ofSeconds(120),
          () -> stack.maintenanceRounds() > rounds);

      try (RESTCatalog rest = new RESTCatalog()) {
        rest.setConf(new Configuration());
        rest.initialize("lake", Map.of(CatalogProperties.URI, stack.restCatalogUri()));

        assertThat(rest.listNamespaces()).contains(Namespace.of("market"), Namespace.of("signals"),
            Namespace.of("trading"), Namespace.of("ops"));
        assertThat(rest.listTables(Namespace.of("market"))).contains(MarketTables.OHLC_ID, MarketTables.TRADES_ID,
            MarketTables.OHLC_REVISIONS_ID, MarketTables.QUOTES_ID, MarketTables.GAPS_ID);
        long tables = Tables.ALL.stream().map(t -> t.identifier().namespace()).distinct()
            .mapToLong(ns -> rest.listTables(ns).size()).sum();
        assertThat(tables).isEqualTo(Tables.ALL.size());

        List<Record> bars = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(rest.loadTable(MarketTables.OHLC_ID))
            .where(Expressions.equal("timeframe", "1m")).build()) {
          rows.forEach(bars::add);
        }
        Map<Long, BigDecimal[]> klines = SampleExpectations.klines();
        assertThat(bars).extracting(r -> Probes.toInstant(r.getField("open_time")).toEpochMilli())
            .containsAll(SampleExpectations.barsWithTrades(klines, lastBar)).doesNotHaveDuplicates();
        for (Record bar : bars) {
          BigDecimal[] k = klines.get(Probes.toInstant(bar.getField("open_time")).toEpochMilli());
          assertThat((BigDecimal) bar.getField("close")).isEqualByComparingTo(k[3]);
          assertThat((BigDecimal) bar.getField("volume")).isEqualByComparingTo(k[4]);
        }
        assertThat(rest.loadTable(TableIdentifier.of("market", "trades")).currentSnapshot()).isNotNull();
      }

      // and the catalog is really PostgreSQL's: Iceberg's JDBC catalog keeps one row per table there
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
          ResultSet rs = c.createStatement().executeQuery(
              "SELECT COUNT(*) FROM iceberg_tables WHERE table_namespace = 'market'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(MarketTables.ALL.size());
      }
    }
  }
}
