package dev.tickflow.catalog.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import dev.tickflow.catalog.testing.OhlcRows;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating and migrating tables in a real JDBC catalog (SQLite) with a local warehouse. */
class TableDefinitionTest {

  @TempDir Path dir;
  JdbcCatalog catalog;

  @BeforeEach
  void openCatalog() {
    catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize("test", Map.of(
        CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, dir.resolve("warehouse").toUri().toString(),
        "jdbc.schema-version", "V1"));
  }

  @AfterEach
  void closeCatalog() throws Exception {
    catalog.close();
  }

  @Test
  void ensureIsIdempotent() {
    MarketTables.ensureAll(catalog);
    Table first = catalog.loadTable(MarketTables.OHLC_ID);
    MarketTables.ensureAll(catalog);
    Table second = catalog.loadTable(MarketTables.OHLC_ID);
    assertThat(((org.apache.iceberg.HasTableOperations) second).operations().current().metadataFileLocation()).as("no new metadata when nothing changed")
        .isEqualTo(((org.apache.iceberg.HasTableOperations) first).operations().current().metadataFileLocation());
    assertThat(second.schema().sameSchema(MarketTables.OHLC_SCHEMA)).isTrue();
    assertThat(second.schema().identifierFieldNames()).containsExactlyInAnyOrderElementsOf(MarketTables.OHLC_KEY);
  }

  @Test
  void anOldTableWithRowsGainsTheNewColumnsInPlace() throws Exception {
    // market.ohlc as first released: the 22 required columns, no identifier fields.
    List<Types.NestedField> released = MarketTables.OHLC_SCHEMA.columns().stream().filter(f -> f.fieldId() <= 22).toList();
    Schema oldSchema = new Schema(released);
    TableDefinition old = new TableDefinition(MarketTables.OHLC_ID, oldSchema,
        org.apache.iceberg.PartitionSpec.builderFor(oldSchema).day("open_time").identity("timeframe")
            .bucket("ticker", 16).build(),
        org.apache.iceberg.SortOrder.unsorted(), TableDefinition.DEFAULT_PROPERTIES);
    Table table = old.ensure(catalog);
    append(table, bar(table.schema(), 0));
    String locationBefore = table.location();

    Table evolved = MarketTables.OHLC.ensure(catalog);

    assertThat(evolved.location()).as("evolved, not recreated").isEqualTo(locationBefore);
    assertThat(evolved.schema().findField("vwap").fieldId()).isEqualTo(25);
    assertThat(evolved.schema().findField("feed_health").fieldId()).isEqualTo(27);
    assertThat(evolved.schema().identifierFieldNames()).containsExactlyInAnyOrderElementsOf(MarketTables.OHLC_KEY);
    Record fresh = bar(evolved.schema(), 1);
    fresh.setField("vwap", new BigDecimal("0.001414000000000000"));
    fresh.setField("feed_health", "HEALTHY");
    append(evolved, fresh);

    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> read = IcebergGenerics.read(catalog.loadTable(MarketTables.OHLC_ID)).build()) {
      read.forEach(rows::add);
    }
    rows.sort((a, b) -> ((OffsetDateTime) a.getField("open_time")).compareTo((OffsetDateTime) b.getField("open_time")));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getField("close")).isEqualTo(new BigDecimal("0.001414000000000000"));
    assertThat(rows.get(0).getField("vwap")).as("old row, new column").isNull();
    assertThat(rows.get(0).getField("feed_health")).isNull();
    assertThat(rows.get(1).getField("vwap")).isEqualTo(new BigDecimal("0.001414000000000000"));
    assertThat(rows.get(1).getField("feed_health")).isEqualTo("HEALTHY");
  }

  private static Record bar(Schema schema, int minute) {
    return OhlcRows.bar(schema, minute);
  }

  private static void append(Table table, Record record) throws Exception {
    OhlcRows.append(table, record);
  }
}
