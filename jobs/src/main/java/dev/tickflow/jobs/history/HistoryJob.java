package dev.tickflow.jobs.history;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.jobs.lake.LakeRows;
import dev.tickflow.jobs.marketdata.TradeNormalizer;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The history pipeline: trades an ingestor fetched for a history request (on {@code market_data.raw}, tagged with
 * the request id) are upserted into {@code market.trades} with the request id, and once the request's completion
 * marker ({@code history.fetched}) has been seen and its rows are in the lake, {@code HISTORY_READY:<requestId>}
 * goes out on the relay.
 *
 * <pre>
 * market_data.raw ─▶ TradeNormalizer ─▶ history trades only ─┬─▶ Iceberg market.trades (upsert on ticker, trade_id, event_time)
 *                                                           └─▶ HistoryCompletion (per request) ─▶ HistoryNotifier ─▶ relay
 * history.fetched ──────────────────────────────────────────────────────────┘
 * </pre>
 *
 * Upserting replaces a trade the live path already wrote, so a range fetched again, or overlapping live data,
 * leaves each trade once. The live market-data job skips these trades: they are old by design.
 */
public final class HistoryJob {

  /** How long the notifier waits for a committed request's rows to show in the table before it says FAILED. */
  public static final Duration ANNOUNCE_TIMEOUT = Duration.ofMinutes(2);

  /** Consumer group of the history pipeline's sources. */
  public static final String GROUP_ID = "tickflow-history";

  private HistoryJob() {}

  /**
   * Adds the pipeline to {@code env}, which the caller has configured (checkpointing drives the Iceberg commits
   * and the announcements).
   */
  public static void addTo(StreamExecutionEnvironment env, String bootstrapServers, CatalogConfig catalog,
      String relayIngress, dev.tickflow.relay.security.CurveClientKeys relayCurve, Duration announceTimeout) {
    DataStream<SourceRecord> raw = env.fromSource(
        source(bootstrapServers, Topic.MARKET_DATA_RAW.topicName(), GROUP_ID), WatermarkStrategy.noWatermarks(),
        "Kafka " + Topic.MARKET_DATA_RAW + " (history)").uid("history-source-raw");
    // Rejected records are the live job's to dead-letter: it reads the same topic.
    DataStream<Trade> trades = raw.process(new TradeNormalizer()).uid("history-trade-normalizer")
        .name("TradeNormalizer (history)")
        .filter(t -> t.getHistoryRequestId() != null).uid("history-trades").name("history trades");

    DataStream<RowData> rows = trades.map(new LakeRows.TradeRow(),
        InternalTypeInfo.of(FlinkSchemaUtil.convert(MarketTables.TRADES.schema())))
        .uid("history-rows-trades").name("rows market.trades (history)");
    FlinkSink.forRowData(rows)
        .tableLoader(TableLoader.fromCatalog(catalog.flinkSinkLoader(), MarketTables.TRADES_ID))
        .equalityFieldColumns(MarketTables.TRADES_KEY)
        .upsert(true)
        .uidPrefix("history-iceberg-trades")
        .append();

    DataStream<HistoryFetched> markers = env.fromSource(
        source(bootstrapServers, Topic.HISTORY_FETCHED.topicName(), GROUP_ID + "-markers"),
        WatermarkStrategy.noWatermarks(), "Kafka " + Topic.HISTORY_FETCHED).uid("history-source-fetched")
        .flatMap((SourceRecord r, org.apache.flink.util.Collector<HistoryFetched> out) -> {
          try {
            out.collect(EventTypes.codec(HistoryFetched.class).decode(r.value));
          } catch (RuntimeException notAMarker) {
            // the topic's contract is HistoryFetched; anything else is skipped (the ingestor wrote it)
          }
        }, FlinkTypes.of(HistoryFetched.class)).uid("history-markers").name("history markers");

    trades.keyBy(Trade::getHistoryRequestId, Types.STRING)
        .connect(markers.keyBy(HistoryFetched::getRequestId, Types.STRING))
        .process(new HistoryCompletion()).uid("history-completion").name("HistoryCompletion")
        .process(new HistoryNotifier(catalog.flinkLoader(), MarketTables.TRADES_ID, relayIngress, relayCurve,
            announceTimeout))
        .setParallelism(1).uid("history-notifier").name("HistoryNotifier")
        .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
        .uid("history-notifier-end").name("end");
  }

  private static KafkaSource<SourceRecord> source(String bootstrapServers, String topic, String groupId) {
    return KafkaSource.<SourceRecord>builder()
        .setBootstrapServers(bootstrapServers)
        .setTopics(topic)
        .setGroupId(groupId)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new SourceRecordDeserializer(payload -> Long.MIN_VALUE))
        .setProperty("isolation.level", "read_committed")
        .setProperty("partition.discovery.interval.ms", "10000")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .build();
  }
}
