package dev.tickflow.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink's catalog loader against a real JDBC catalog (SQLite) and warehouse. */
class CommitterCatalogLoaderTest {

  private static final TableIdentifier ID = TableIdentifier.of(Namespace.of("market"), "t");
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @TempDir Path dir;
  CatalogLoader jdbc;

  @BeforeEach
  void createTable() throws Exception {
    jdbc = CatalogLoader.custom("test", Map.of(
        CatalogProperties.URI, "jdbc:sqlite:" + dir.resolve("catalog.db"),
        CatalogProperties.WAREHOUSE_LOCATION, dir.resolve("warehouse").toUri().toString(),
        "jdbc.schema-version", "V1"), new Configuration(), JdbcCatalog.class.getName());
    try (Closeable c = (Closeable) jdbc.loadCatalog()) {
      ((Catalog) c).createTable(ID, SCHEMA, PartitionSpec.unpartitioned());
    }
  }

  @Test
  void aTableIsLoadedOnceAndCommitsOnTopOfWhatOthersCommittedMeanwhile() throws Exception {
    Catalog cached = new CommitterCatalogLoader(jdbc).loadCatalog();
    Table table = cached.loadTable(ID);
    assertThat(cached.loadTable(ID)).as("the committer's reload after a checkpoint").isSameAs(table);

    try (Closeable other = (Closeable) jdbc.loadCatalog()) {
      ((Catalog) other).loadTable(ID).newAppend().appendFile(file("a")).commit();
    }
    table.newAppend().appendFile(file("b")).commit(); // refreshes before it writes: no lost update, no conflict

    try (Closeable fresh = (Closeable) jdbc.loadCatalog()) {
      Table now = ((Catalog) fresh).loadTable(ID);
      assertThat(now.currentSnapshot().summary()).containsEntry("total-data-files", "2");
      assertThat(now.history()).hasSize(2);
    }
    ((Closeable) cached).close();
  }

  @Test
  void closingClosesTheCatalogUnderneathAndANewCatalogReadsAfresh() throws Exception {
    CommitterCatalogLoader loader = new CommitterCatalogLoader(jdbc);
    Catalog first = loader.loadCatalog();
    Table before = first.loadTable(ID);
    assertThat(first).isInstanceOf(Closeable.class);
    ((Closeable) first).close();
    assertThatThrownBy(() -> first.loadTable(TableIdentifier.of(Namespace.of("market"), "other")))
        .as("the JDBC catalog's connections are closed with it");

    try (Closeable other = (Closeable) jdbc.loadCatalog()) {
      ((Catalog) other).loadTable(ID).updateSchema().addColumn("price", Types.DecimalType.of(38, 18)).commit();
    }
    Catalog second = loader.clone().loadCatalog();
    Table after = second.loadTable(ID);
    assertThat(after).isNotSameAs(before);
    assertThat(after.schema().findField("price")).as("a restarted sink sees the evolved schema").isNotNull();
    ((Closeable) second).close();
  }

  private DataFile file(String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned()).withPath(dir.resolve(name + ".parquet").toString())
        .withFileSizeInBytes(10).withRecordCount(1).build();
  }
}
