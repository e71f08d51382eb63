package dev.tickflow.catalog.tables;

import static dev.tickflow.catalog.tables.MarketTables.DECIMAL;
import static dev.tickflow.catalog.tables.MarketTables.TIMESTAMP;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The decision pipeline's record: advisor decisions, risk verdicts, (paper) fills and signal outcomes, each
 * step with the stages or checks it went through. Field ids are part of the contract, as in {@link MarketTables}.
 */
public final class TradingTables {

  public static final TableIdentifier DECISIONS_ID = TableIdentifier.of("trading", "decisions");
  public static final TableIdentifier VERDICTS_ID = TableIdentifier.of("trading", "verdicts");
  public static final TableIdentifier FILLS_ID = TableIdentifier.of("trading", "fills");
  public static final TableIdentifier OUTCOMES_ID = TableIdentifier.of("trading", "outcomes");

  private static Types.ListType stages(int listId, int elementId, int stageId, int passedId, int reasonId) {
    return Types.ListType.ofRequired(listId, Types.StructType.of(
        required(stageId, "stage", Types.StringType.get()),
        required(passedId, "passed", Types.BooleanType.get()),
        required(reasonId, "reason", Types.StringType.get())));
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
      required(20, "src_to_offset", Types.LongType.get()));

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
      required(20, "src_to_offset", Types.LongType.get()));

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
      required(17, "src_to_offset", Types.LongType.get()));

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
      required(16, "src_to_offset", Types.LongType.get()));

  public static final TableDefinition DECISIONS = byDay(DECISIONS_ID, DECISIONS_SCHEMA);
  public static final TableDefinition VERDICTS = byDay(VERDICTS_ID, VERDICTS_SCHEMA);
  public static final TableDefinition FILLS = byDay(FILLS_ID, FILLS_SCHEMA);
  public static final TableDefinition OUTCOMES = byDay(OUTCOMES_ID, OUTCOMES_SCHEMA);

  public static final List<TableDefinition> ALL = List.of(DECISIONS, VERDICTS, FILLS, OUTCOMES);

  private TradingTables() {}

  private static TableDefinition byDay(TableIdentifier id, Schema schema) {
    return new TableDefinition(id, schema,
        PartitionSpec.builderFor(schema).day("event_time").build(),
        SortOrder.builderFor(schema).asc("ticker").asc("event_time").build(),
        TableDefinition.DEFAULT_PROPERTIES);
  }
}
