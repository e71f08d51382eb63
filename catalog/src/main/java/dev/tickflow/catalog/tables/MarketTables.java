package dev.tickflow.catalog.tables;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The market-data tables. Field ids are part of the contract: never reuse or renumber one; add new columns
 * with new ids (Iceberg schema evolution). Prices and amounts are decimal(38,18), as on the bus.
 */
public final class MarketTables {

  static final Types.DecimalType DECIMAL = Types.DecimalType.of(38, 18);
  static final Types.TimestampType TIMESTAMP = Types.TimestampType.withZone();

  public static final TableIdentifier TRADES_ID = TableIdentifier.of("market", "trades");
  public static final TableIdentifier OHLC_ID = TableIdentifier.of("market", "ohlc");

  public static final Schema TRADES_SCHEMA = new Schema(
      required(1, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(2, "exchange", Types.StringType.get()),
      required(3, "base", Types.StringType.get()),
      required(4, "quote", Types.StringType.get()),
      required(5, "trade_id", Types.StringType.get(), "The venue's trade id"),
      required(6, "price", DECIMAL),
      required(7, "amount", DECIMAL, "Base-asset quantity"),
      required(8, "side", Types.StringType.get(), "Taker side: BUY, SELL or UNKNOWN"),
      required(9, "event_time", TIMESTAMP, "Trade time at the venue"),
      required(10, "ingest_time", TIMESTAMP),
      required(11, "src_topic", Types.StringType.get(), "Kafka provenance: topic"),
      required(12, "src_partition", Types.IntegerType.get()),
      required(13, "src_offset", Types.LongType.get()),
      optional(14, "history_request_id", Types.StringType.get(),
          "The history request the row answers; null for a trade read live"));

  /** How the history job upserts trades: a trade is its ticker and id (event time is in the partition key). */
  public static final List<String> TRADES_KEY = List.of("ticker", "trade_id", "event_time");

  public static final TableIdentifier OHLC_REVISIONS_ID = TableIdentifier.of("market", "ohlc_revisions");

  /**
   * A bar's key is (ticker, timeframe, open_time): {@code market.ohlc} holds one row per key, its latest revision.
   * Columns 23 on were added after the first release and are optional, so older tables evolve in place.
   */
  public static final Schema OHLC_SCHEMA = new Schema(List.of(
      required(1, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(2, "exchange", Types.StringType.get()),
      required(3, "base", Types.StringType.get()),
      required(4, "quote", Types.StringType.get()),
      required(5, "timeframe", Types.StringType.get(), "1m, 5m, 15m, 1h, 4h, 1d"),
      required(6, "open_time", TIMESTAMP, "Bar start, inclusive"),
      required(7, "close_time", TIMESTAMP, "Bar end, exclusive"),
      required(8, "open", DECIMAL),
      required(9, "high", DECIMAL),
      required(10, "low", DECIMAL),
      required(11, "close", DECIMAL),
      required(12, "volume", DECIMAL, "Base-asset volume"),
      required(13, "quote_volume", DECIMAL),
      required(14, "trade_count", Types.LongType.get()),
      required(15, "revision", Types.IntegerType.get(), "0 first final bar, +1 per late-data revision"),
      required(16, "event_time", TIMESTAMP, "Time of the last trade in the bar"),
      required(17, "ingest_time", TIMESTAMP),
      required(18, "src_topic", Types.StringType.get()),
      required(19, "src_partition", Types.IntegerType.get()),
      required(20, "src_from_offset", Types.LongType.get()),
      required(21, "src_to_offset", Types.LongType.get()),
      required(22, "is_final", Types.BooleanType.get(), "false for provisional bars"),
      optional(23, "taker_buy_volume", DECIMAL, "Base volume of trades whose taker bought"),
      optional(24, "taker_buy_quote_volume", DECIMAL),
      optional(25, "vwap", DECIMAL, "quote_volume / volume, 18 places half-even; null without trades"),
      optional(26, "revision_reason", Types.StringType.get(), "Why this revision replaced the previous one"),
      optional(27, "feed_health", Types.StringType.get(), "HEALTHY, DEGRADED or UNKNOWN for the bar's interval")),
      Set.of(1, 5, 6));

  public static final TableDefinition TRADES = new TableDefinition(
      TRADES_ID,
      TRADES_SCHEMA,
      PartitionSpec.builderFor(TRADES_SCHEMA).day("event_time").bucket("ticker", 16).build(),
      SortOrder.builderFor(TRADES_SCHEMA).asc("ticker").asc("event_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final TableDefinition OHLC = new TableDefinition(
      OHLC_ID,
      OHLC_SCHEMA,
      PartitionSpec.builderFor(OHLC_SCHEMA).day("open_time").identity("timeframe").bucket("ticker", 16).build(),
      SortOrder.builderFor(OHLC_SCHEMA).asc("ticker").asc("timeframe").asc("open_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  /** Every final version of every bar, appended: revision 0 and each late-data revision after it. */
  public static final TableDefinition OHLC_REVISIONS = new TableDefinition(
      OHLC_REVISIONS_ID,
      OHLC_SCHEMA,
      PartitionSpec.builderFor(OHLC_SCHEMA).day("open_time").identity("timeframe").bucket("ticker", 16).build(),
      SortOrder.builderFor(OHLC_SCHEMA).asc("ticker").asc("timeframe").asc("open_time").asc("revision").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final TableIdentifier QUOTES_ID = TableIdentifier.of("market", "quotes");
  public static final TableIdentifier GAPS_ID = TableIdentifier.of("market", "gaps");

  public static final Schema QUOTES_SCHEMA = new Schema(
      required(1, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(2, "exchange", Types.StringType.get()),
      required(3, "base", Types.StringType.get()),
      required(4, "quote", Types.StringType.get()),
      required(5, "bid_price", DECIMAL),
      required(6, "bid_amount", DECIMAL),
      required(7, "ask_price", DECIMAL),
      required(8, "ask_amount", DECIMAL),
      required(9, "event_time", TIMESTAMP),
      required(10, "ingest_time", TIMESTAMP),
      required(11, "ingestor_id", Types.StringType.get()),
      required(12, "src_topic", Types.StringType.get(), "Kafka provenance: topic"),
      required(13, "src_partition", Types.IntegerType.get()),
      required(14, "src_offset", Types.LongType.get()));

  /** Trades missing from a live stream: one row per gap an ingestor found. */
  public static final Schema GAPS_SCHEMA = new Schema(
      required(1, "ticker", Types.StringType.get(), "EXCHANGE:BASE/QUOTE"),
      required(2, "exchange", Types.StringType.get()),
      required(3, "base", Types.StringType.get()),
      required(4, "quote", Types.StringType.get()),
      required(5, "from_trade_id", Types.StringType.get(), "First missing venue trade id"),
      required(6, "to_trade_id", Types.StringType.get(), "Last missing venue trade id"),
      required(7, "from_time", TIMESTAMP, "Time of the last trade seen before the gap"),
      required(8, "to_time", TIMESTAMP, "Time of the first trade seen after it"),
      required(9, "missing", Types.LongType.get()),
      required(10, "recovered", Types.LongType.get(), "How many of them REST delivered"),
      required(11, "repaired", Types.BooleanType.get()),
      required(12, "reason", Types.StringType.get()),
      required(13, "ingestor_id", Types.StringType.get()),
      required(14, "event_time", TIMESTAMP, "When the gap was found"),
      required(15, "src_topic", Types.StringType.get()),
      required(16, "src_partition", Types.IntegerType.get()),
      required(17, "src_offset", Types.LongType.get()));

  public static final TableDefinition QUOTES = new TableDefinition(
      QUOTES_ID,
      QUOTES_SCHEMA,
      PartitionSpec.builderFor(QUOTES_SCHEMA).day("event_time").bucket("ticker", 16).build(),
      SortOrder.builderFor(QUOTES_SCHEMA).asc("ticker").asc("event_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  public static final TableDefinition GAPS = new TableDefinition(
      GAPS_ID,
      GAPS_SCHEMA,
      PartitionSpec.builderFor(GAPS_SCHEMA).month("from_time").build(),
      SortOrder.builderFor(GAPS_SCHEMA).asc("ticker").asc("from_time").build(),
      TableDefinition.DEFAULT_PROPERTIES);

  /** The columns a bar is identified by; {@code market.ohlc} is kept unique on them. */
  public static final List<String> OHLC_KEY = List.of("ticker", "timeframe", "open_time");

  public static final List<TableDefinition> ALL = List.of(TRADES, QUOTES, OHLC, OHLC_REVISIONS, GAPS);

  private MarketTables() {}

  /** Creates or evolves every market table. Idempotent. */
  public static void ensureAll(Catalog catalog) {
    ALL.forEach(t -> t.ensure(catalog));
  }
}
