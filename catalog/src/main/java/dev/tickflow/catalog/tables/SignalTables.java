package dev.tickflow.catalog.tables;

import static dev.tickflow.catalog.tables.MarketTables.DECIMAL;
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
 * What the detectors emit: pattern alerts (CEP) and scored signals with their rule-by-rule attribution. Field
 * ids are part of the contract, as in {@link MarketTables}.
 */
public final class SignalTables {

  public static final TableIdentifier ALERTS_ID = TableIdentifier.of("signals", "alerts");
  public static final TableIdentifier SIGNALS_ID = TableIdentifier.of("signals", "signals");

  public static final Schema ALERTS_SCHEMA = new Schema(
      required(1, "alert_id", Types.StringType.get()),
      required(2, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(3, "exchange", Types.StringType.get()),
      required(4, "base", Types.StringType.get()),
      required(5, "quote", Types.StringType.get()),
      required(6, "pattern", Types.StringType.get()),
      required(7, "timeframe", Types.StringType.get()),
      required(8, "price", DECIMAL),
      required(9, "description", Types.StringType.get()),
      optional(10, "attributes", Types.MapType.ofRequired(11, 12, Types.StringType.get(), Types.StringType.get())),
      required(13, "event_time", TIMESTAMP),
      required(14, "ingest_time", TIMESTAMP),
      required(15, "src_topic", Types.StringType.get()),
      required(16, "src_partition", Types.IntegerType.get()),
      required(17, "src_from_offset", Types.LongType.get()),
      required(18, "src_to_offset", Types.LongType.get()));

  public static final Schema SIGNALS_SCHEMA = new Schema(
      required(1, "signal_id", Types.StringType.get()),
      required(2, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(3, "exchange", Types.StringType.get()),
      required(4, "base", Types.StringType.get()),
      required(5, "quote", Types.StringType.get()),
      required(6, "timeframe", Types.StringType.get()),
      required(7, "direction", Types.StringType.get(), "LONG or SHORT"),
      required(8, "score", DECIMAL, "Weighted score the threshold was crossed with"),
      required(9, "price", DECIMAL),
      required(10, "rules", Types.ListType.ofRequired(11, Types.StructType.of(
          required(12, "rule", Types.StringType.get()),
          required(13, "fired", Types.BooleanType.get()),
          required(14, "weight", DECIMAL),
          required(15, "score", DECIMAL, "Contribution to the total"),
          required(16, "detail", Types.StringType.get(), "Input values the rule saw"),
          optional(26, "inputs", Types.MapType.ofRequired(27, 28, Types.StringType.get(), Types.StringType.get()),
              "The same values by name, as exact decimal text")))),
      required(17, "event_time", TIMESTAMP),
      required(18, "ingest_time", TIMESTAMP),
      required(19, "src_topic", Types.StringType.get()),
      required(20, "src_partition", Types.IntegerType.get()),
      required(21, "src_from_offset", Types.LongType.get()),
      required(22, "src_to_offset", Types.LongType.get()),
      optional(23, "detector_id", Types.StringType.get(), "The detector instance that emitted the signal"),
      optional(24, "detector_version", Types.IntegerType.get()),
      optional(25, "threshold", DECIMAL, "The threshold the score crossed"));

  public static final TableDefinition ALERTS = new TableDefinition(
      ALERTS_ID,
      ALERTS_SCHEMA,
      PartitionSpec.builderFor(ALERTS_SCHEMA).day("event_time").build(),
      SortOrder.builderFor(ALERTS_SCHEMA).asc("ticker").asc("event_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final TableDefinition SIGNALS = new TableDefinition(
      SIGNALS_ID,
      SIGNALS_SCHEMA,
      PartitionSpec.builderFor(SIGNALS_SCHEMA).day("event_time").build(),
      SortOrder.builderFor(SIGNALS_SCHEMA).asc("ticker").asc("event_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final List<TableDefinition> ALL = List.of(ALERTS, SIGNALS);

  private SignalTables() {}
}
