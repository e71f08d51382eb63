package dev.tickflow.catalog.tables;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** One Iceberg table as tickflow defines it: schema with stable field ids, partitioning, sort order, properties. */
public record TableDefinition(
    TableIdentifier identifier,
    Schema schema,
    PartitionSpec spec,
    SortOrder sortOrder,
    Map<String, String> properties) {

  /** Common table properties: format v2, Parquet with zstd, column metrics for file pruning. */
  static final Map<String, String> DEFAULT_PROPERTIES = Map.of(
      "format-version", "2",
      "write.format.default", "parquet",
      "write.parquet.compression-codec", "zstd",
      "write.target-file-size-bytes", Long.toString(128L * 1024 * 1024),
      "write.metadata.delete-after-commit.enabled", "true",
      "write.metadata.previous-versions-max", "100",
      "write.metadata.metrics.default", "truncate(16)");

  /** What {@link #migrate} did to a table. */
  public enum Change { CREATED, EVOLVED, UNCHANGED }

  /** A table after {@link #migrate}, and what was done to it; {@code added} names the columns it gained. */
  public record Migration(TableIdentifier identifier, Change change, java.util.List<String> added, Table table) {}

  /**
   * Creates the table (and its namespace) if it does not exist; an existing table gains the columns and
   * identifier fields the definition added since it was created (schema evolution: nothing is rewritten, old
   * rows read the new columns as null). Returns the table either way.
   */
  public Table ensure(Catalog catalog) {
    return migrate(catalog).table();
  }

  /** {@link #ensure}, saying what it did. */
  public Migration migrate(Catalog catalog) {
    Namespace namespace = identifier.namespace();
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
      } catch (AlreadyExistsException raced) {
        // another process created it first: fine
      }
    }
    if (catalog.tableExists(identifier)) {
      return evolve(catalog.loadTable(identifier));
    }
    try {
      Table created = catalog.buildTable(identifier, schema)
          .withPartitionSpec(spec)
          .withSortOrder(sortOrder)
          .withProperties(properties)
          .create();
      return new Migration(identifier, Change.CREATED, java.util.List.of(), created);
    } catch (AlreadyExistsException raced) {
      return evolve(catalog.loadTable(identifier));
    }
  }

  private Migration evolve(Table table) {
    Schema current = table.schema();
    java.util.List<String> missing = schema.columns().stream().map(f -> f.name())
        .filter(name -> current.findField(name) == null).toList();
    boolean identifiersDiffer = !current.identifierFieldNames().equals(schema.identifierFieldNames());
    if (missing.isEmpty() && !identifiersDiffer) {
      return new Migration(identifier, Change.UNCHANGED, missing, table);
    }
    UpdateSchema update = table.updateSchema().unionByNameWith(schema);
    if (identifiersDiffer) {
      update.setIdentifierFields(schema.identifierFieldNames());
    }
    update.commit();
    table.refresh();
    return new Migration(identifier, Change.EVOLVED, missing, table);
  }
}
