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

/**
 * Operations: what could not be processed, kept queryable beside the data it failed to become; and the audit runs
 * (replays, backtests) with who ran them, over what, and what they found.
 */
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

  public static final TableIdentifier AUDIT_RUNS_ID = TableIdentifier.of("ops", "audit_runs");

  public static final Schema AUDIT_RUNS_SCHEMA = new Schema(
      required(1, "run_id", Types.StringType.get(), "Also the namespace and topic suffix of the run's outputs"),
      required(2, "kind", Types.StringType.get(), "replay or backtest"),
      required(3, "started_at", TIMESTAMP),
      required(4, "finished_at", TIMESTAMP),
      required(5, "user_name", Types.StringType.get(), "Who ran it (the OS user)"),
      required(6, "host", Types.StringType.get()),
      required(7, "command", Types.StringType.get(), "The command line, as given"),
      required(8, "topic", Types.StringType.get(), "The topic replayed"),
      required(9, "ranges", Types.StringType.get(), "partition:from..to (end exclusive), space separated"),
      required(10, "state_from", Types.StringType.get(), "empty, or the savepoint or checkpoint restored"),
      required(11, "code_version", Types.StringType.get(), "tickflow version and the job code's digest"),
      required(12, "outcome", Types.StringType.get(), "IDENTICAL, DIFFERENT, EMPTY or FAILED"),
      required(13, "differences", Types.LongType.get()),
      optional(14, "outputs", Types.MapType.ofRequired(15, 16, Types.StringType.get(), Types.StringType.get()),
          "Per output topic: records and the SHA-256 multiset digest of their bytes"),
      optional(17, "error", Types.StringType.get(), "Why a FAILED run failed"),
      optional(18, "report", Types.StringType.get(), "The diff report as JSON"));

  public static final TableDefinition AUDIT_RUNS = new TableDefinition(
      AUDIT_RUNS_ID,
      AUDIT_RUNS_SCHEMA,
      PartitionSpec.unpartitioned(),
      SortOrder.builderFor(AUDIT_RUNS_SCHEMA).asc("started_at").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final List<TableDefinition> ALL = List.of(DEADLETTER, AUDIT_RUNS);

  private OpsTables() {}
}
