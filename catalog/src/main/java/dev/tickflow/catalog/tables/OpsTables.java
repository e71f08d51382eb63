package dev.tickflow.catalog.tables;

import static dev.tickflow.catalog.tables.MarketTables.TIMESTAMP;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/** Operations: what could not be processed, kept queryable beside the data it failed to become. */
public final class OpsTables {

  public static final TableIdentifier DEADLETTER_ID = TableIdentifier.of("ops", "deadletter");

  public static final Schema DEADLETTER_SCHEMA = new Schema(
      required(1, "error_type", Types.StringType.get(), "Machine-readable reason, e.g. LATE, INVALID_PRICE"),
      required(2, "reason", Types.StringType.get()),
      required(3, "stage", Types.StringType.get(), "Where it was rejected, e.g. market-data/normalize"),
      required(4, "source_topic", Types.StringType.get()),
      required(5, "source_partition", Types.IntegerType.get()),
      required(6, "source_offset", Types.LongType.get()),
      optional(7, "key", Types.BinaryType.get()),
      required(8, "payload", Types.BinaryType.get(), "The original bytes"),
      required(9, "event_time", TIMESTAMP),
      required(10, "ingest_time", TIMESTAMP));

  public static final TableDefinition DEADLETTER = new TableDefinition(
      DEADLETTER_ID,
      DEADLETTER_SCHEMA,
      PartitionSpec.builderFor(DEADLETTER_SCHEMA).day("ingest_time").identity("stage").build(),
      SortOrder.builderFor(DEADLETTER_SCHEMA).asc("source_topic").asc("source_partition").asc("source_offset").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final List<TableDefinition> ALL = List.of(DEADLETTER);

  private OpsTables() {}
}
