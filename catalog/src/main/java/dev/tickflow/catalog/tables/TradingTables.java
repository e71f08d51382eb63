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
 * The decision pipeline's record: advisor decisions, execution intents, risk verdicts, (paper) fills, closed
 * positions (outcomes), the audit trail of every stage and check, and paper-account snapshots. Columns added
 * after a table's first release are optional, so existing tables evolve in place. Field ids are part of the contract, as in {@link MarketTables}.
 */
public final class TradingTables {

  public static final TableIdentifier DECISIONS_ID = TableIdentifier.of("trading", "decisions");
  public static final TableIdentifier VERDICTS_ID = TableIdentifier.of("trading", "verdicts");
  public static final TableIdentifier FILLS_ID = TableIdentifier.of("trading", "fills");
  public static final TableIdentifier OUTCOMES_ID = TableIdentifier.of("trading", "outcomes");

  public static final TableIdentifier INTENTS_ID = TableIdentifier.of("trading", "intents");
  public static final TableIdentifier AUDIT_ID = TableIdentifier.of("trading", "audit");
  public static final TableIdentifier SNAPSHOTS_ID = TableIdentifier.of("trading", "snapshots");

  private static Types.ListType stages(int listId, int elementId, int stageId, int passedId, int reasonId) {
    return Types.ListType.ofRequired(listId, Types.StructType.of(
        required(stageId, "stage", Types.StringType.get()),
        required(passedId, "passed", Types.BooleanType.get()),
        required(reasonId, "reason", Types.StringType.get())));
  }

  private static Types.MapType strings(int keyId, int valueId) {
    return Types.MapType.ofRequired(keyId, valueId, Types.StringType.get(), Types.StringType.get());
  }

  public static final Schema DECISIONS_SCHEMA = new Schema(
      required(1, "decision_id", Types.StringType.get()),
      required(2, "signal_id", Types.StringType.get()),
      required(3, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(4, "exchange", Types.StringType.get()),
      required(5, "base", Types.StringType.get()),
      required(6, "quote", Types.StringType.get()),
      required(7, "action", Types.StringType.get()),
      required(8, "confidence", DECIMAL),
      required(9, "stages", stages(10, 11, 12, 13, 14)),
      required(15, "event_time", TIMESTAMP),
      required(16, "ingest_time", TIMESTAMP),
      required(17, "src_topic", Types.StringType.get()),
      required(18, "src_partition", Types.IntegerType.get()),
      required(19, "src_from_offset", Types.LongType.get()),
      required(20, "src_to_offset", Types.LongType.get()),
      optional(21, "detector_id", Types.StringType.get()),
      optional(22, "timeframe", Types.StringType.get()),
      optional(23, "account", Types.StringType.get()),
      optional(24, "regime", Types.StringType.get()),
      optional(25, "conviction", DECIMAL, "Before calibration; confidence is after"),
      optional(26, "calibration", Types.StringType.get()),
      optional(27, "entry_price", DECIMAL),
      optional(28, "stop_loss", DECIMAL),
      optional(29, "take_profit", DECIMAL),
      optional(30, "amount", DECIMAL),
      optional(31, "synthesis", Types.StringType.get()),
      optional(32, "intent_id", Types.StringType.get()));

  public static final Schema INTENTS_SCHEMA = new Schema(
      required(1, "intent_id", Types.StringType.get()),
      required(2, "decision_id", Types.StringType.get()),
      required(3, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(4, "exchange", Types.StringType.get()),
      required(5, "base", Types.StringType.get()),
      required(6, "quote", Types.StringType.get()),
      required(7, "side", Types.StringType.get()),
      required(8, "order_type", Types.StringType.get()),
      required(9, "amount", DECIMAL),
      optional(10, "limit_price", DECIMAL),
      required(11, "event_time", TIMESTAMP),
      required(12, "ingest_time", TIMESTAMP),
      required(13, "src_topic", Types.StringType.get()),
      required(14, "src_partition", Types.IntegerType.get()),
      required(15, "src_from_offset", Types.LongType.get()),
      required(16, "src_to_offset", Types.LongType.get()),
      optional(17, "account", Types.StringType.get()),
      optional(18, "signal_id", Types.StringType.get()),
      optional(19, "reduce_only", Types.BooleanType.get()),
      optional(20, "reference_price", DECIMAL),
      optional(21, "stop_loss", DECIMAL),
      optional(22, "take_profit", DECIMAL),
      optional(23, "conviction", DECIMAL),
      optional(24, "regime", Types.StringType.get()),
      optional(25, "timeframe", Types.StringType.get()));

  public static final Schema VERDICTS_SCHEMA = new Schema(
      required(1, "verdict_id", Types.StringType.get()),
      required(2, "intent_id", Types.StringType.get()),
      required(3, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(4, "exchange", Types.StringType.get()),
      required(5, "base", Types.StringType.get()),
      required(6, "quote", Types.StringType.get()),
      required(7, "approved", Types.BooleanType.get()),
      required(8, "approved_amount", DECIMAL),
      required(9, "checks", stages(10, 11, 12, 13, 14)),
      required(15, "event_time", TIMESTAMP),
      required(16, "ingest_time", TIMESTAMP),
      required(17, "src_topic", Types.StringType.get()),
      required(18, "src_partition", Types.IntegerType.get()),
      required(19, "src_from_offset", Types.LongType.get()),
      required(20, "src_to_offset", Types.LongType.get()),
      optional(21, "account", Types.StringType.get()),
      optional(22, "verdict", Types.StringType.get(), "ALLOW, BLOCK, THROTTLE, STAND_DOWN or CLOSE_ALL"),
      optional(23, "reasons", Types.ListType.ofRequired(24, Types.StringType.get())),
      optional(25, "limit_state", strings(26, 27)),
      optional(28, "requested_amount", DECIMAL),
      optional(29, "signal_id", Types.StringType.get()),
      optional(30, "reduce_only", Types.BooleanType.get()));

  public static final Schema FILLS_SCHEMA = new Schema(
      required(1, "fill_id", Types.StringType.get()),
      required(2, "intent_id", Types.StringType.get()),
      required(3, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(4, "exchange", Types.StringType.get()),
      required(5, "base", Types.StringType.get()),
      required(6, "quote", Types.StringType.get()),
      required(7, "side", Types.StringType.get()),
      required(8, "price", DECIMAL),
      required(9, "amount", DECIMAL),
      required(10, "fee", DECIMAL),
      required(11, "fee_currency", Types.StringType.get()),
      required(12, "event_time", TIMESTAMP),
      required(13, "ingest_time", TIMESTAMP),
      required(14, "src_topic", Types.StringType.get()),
      required(15, "src_partition", Types.IntegerType.get()),
      required(16, "src_from_offset", Types.LongType.get()),
      required(17, "src_to_offset", Types.LongType.get()),
      optional(18, "account", Types.StringType.get()),
      optional(19, "signal_id", Types.StringType.get()),
      optional(20, "verdict_id", Types.StringType.get()),
      optional(21, "position_id", Types.StringType.get()),
      optional(22, "purpose", Types.StringType.get(), "OPEN, STOP_LOSS, TAKE_PROFIT, CLOSE or CLOSE_ALL"),
      optional(23, "reference_price", DECIMAL));

  public static final Schema OUTCOMES_SCHEMA = new Schema(
      required(1, "signal_id", Types.StringType.get()),
      required(2, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(3, "exchange", Types.StringType.get()),
      required(4, "base", Types.StringType.get()),
      required(5, "quote", Types.StringType.get()),
      required(6, "horizon", Types.StringType.get()),
      required(7, "entry_price", DECIMAL),
      required(8, "exit_price", DECIMAL),
      required(9, "return_ratio", DECIMAL),
      required(10, "outcome", Types.StringType.get(), "WIN, LOSS or NEUTRAL"),
      required(11, "event_time", TIMESTAMP),
      required(12, "ingest_time", TIMESTAMP),
      required(13, "src_topic", Types.StringType.get()),
      required(14, "src_partition", Types.IntegerType.get()),
      required(15, "src_from_offset", Types.LongType.get()),
      required(16, "src_to_offset", Types.LongType.get()),
      optional(17, "account", Types.StringType.get()),
      optional(18, "position_id", Types.StringType.get()),
      optional(19, "decision_id", Types.StringType.get()),
      optional(20, "intent_id", Types.StringType.get()),
      optional(21, "verdict_id", Types.StringType.get()),
      optional(22, "direction", Types.StringType.get()),
      optional(23, "amount", DECIMAL),
      optional(24, "pnl", DECIMAL, "Realized, fees included, in the quote currency"),
      optional(25, "fees", DECIMAL),
      optional(26, "close_reason", Types.StringType.get()),
      optional(27, "open_time", TIMESTAMP),
      optional(28, "conviction", DECIMAL, "Calibrated, at entry"),
      optional(29, "raw_conviction", DECIMAL, "Before calibration: what the calibration job fits"),
      optional(30, "regime", Types.StringType.get()));

  public static final Schema AUDIT_SCHEMA = new Schema(
      required(1, "audit_id", Types.StringType.get()),
      required(2, "trace_id", Types.StringType.get(), "The signal id the step belongs to"),
      required(3, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(4, "exchange", Types.StringType.get()),
      required(5, "base", Types.StringType.get()),
      required(6, "quote", Types.StringType.get()),
      required(7, "component", Types.StringType.get()),
      required(8, "stage", Types.StringType.get()),
      required(9, "kind", Types.StringType.get()),
      required(10, "inputs", strings(11, 12)),
      required(13, "outcome", Types.StringType.get()),
      required(14, "event_time", TIMESTAMP),
      required(15, "ingest_time", TIMESTAMP));

  /** {@code metrics.snapshot} records of paper accounts (component {@code paper-account}). */
  public static final Schema SNAPSHOTS_SCHEMA = new Schema(
      required(1, "component", Types.StringType.get()),
      required(2, "instance", Types.StringType.get(), "The account"),
      required(3, "counters", Types.MapType.ofRequired(4, 5, Types.StringType.get(), Types.LongType.get())),
      required(6, "gauges", strings(7, 8), "Exact decimal text"),
      required(9, "event_time", TIMESTAMP),
      required(10, "ingest_time", TIMESTAMP));

  public static final TableDefinition DECISIONS = byDay(DECISIONS_ID, DECISIONS_SCHEMA);
  public static final TableDefinition VERDICTS = byDay(VERDICTS_ID, VERDICTS_SCHEMA);
  public static final TableDefinition FILLS = byDay(FILLS_ID, FILLS_SCHEMA);
  public static final TableDefinition OUTCOMES = byDay(OUTCOMES_ID, OUTCOMES_SCHEMA);

  public static final TableDefinition INTENTS = byDay(INTENTS_ID, INTENTS_SCHEMA);
  public static final TableDefinition AUDIT = byDay(AUDIT_ID, AUDIT_SCHEMA);
  public static final TableDefinition SNAPSHOTS = new TableDefinition(SNAPSHOTS_ID, SNAPSHOTS_SCHEMA,
      PartitionSpec.builderFor(SNAPSHOTS_SCHEMA).day("event_time").build(),
      SortOrder.builderFor(SNAPSHOTS_SCHEMA).asc("instance").asc("event_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final List<TableDefinition> ALL = List.of(DECISIONS, INTENTS, VERDICTS, FILLS, OUTCOMES, AUDIT,
      SNAPSHOTS);

  private TradingTables() {}

  private static TableDefinition byDay(TableIdentifier id, Schema schema) {
    return new TableDefinition(id, schema,
        PartitionSpec.builderFor(schema).day("event_time").build(),
        SortOrder.builderFor(schema).asc("ticker").asc("event_time").build(),
        TableDefinition.DEFAULT_PROPERTIES);
  }
}
