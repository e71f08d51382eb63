package dev.tickflow.jobs.io;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Topic;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * How every pipeline of the job reads and writes: Kafka sources that read committed records only, Kafka sinks
 * with transactions per checkpoint, and Iceberg's own Flink sink committing on checkpoints.
 */
public final class Connectors {

  private Connectors() {}

  /** Producer batch size of every Kafka sink (see {@link #kafkaSink}). */
  public static final int SINK_BATCH_BYTES = 256 * 1024;
  /** How long every Kafka sink's producer waits to fill a batch (see {@link #kafkaSink}). */
  public static final int SINK_LINGER_MS = 50;

  /**
   * Reads committed records only. Live: resumes from checkpointed offsets (or the group's, or the earliest) and
   * commits offsets on checkpoints. In an audit run ({@link RunScope}): bounded, over the run's range of the topic
   * (or all of it at the start), under a consumer group of the run's own that commits nothing.
   */
  public static KafkaSource<SourceRecord> kafkaSource(MarketDataJobConfig c, String topic, String groupId,
      SourceRecordDeserializer deserializer) {
    RunScope scope = c.scope();
    String name = scope.inputTopic(topic);
    KafkaSourceBuilder<SourceRecord> source = KafkaSource.<SourceRecord>builder()
        .setBootstrapServers(c.bootstrapServers())
        .setGroupId(scope.group(groupId))
        .setDeserializer(deserializer)
        .setProperty("isolation.level", "read_committed");
    if (scope.live()) {
      return source.setTopics(name)
          .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
          .setProperty("partition.discovery.interval.ms", "10000")
          .setProperty("commit.offsets.on.checkpoint", "true")
          .build();
    }
    source.setProperty("commit.offsets.on.checkpoint", "false");
    Map<Integer, RunScope.OffsetRange> range = scope.ranges().get(name);
    if (range == null) {
      return source.setTopics(name).setStartingOffsets(OffsetsInitializer.earliest())
          .setBounded(OffsetsInitializer.latest()).build();
    }
    Map<TopicPartition, Long> from = new HashMap<>();
    Map<TopicPartition, Long> to = new HashMap<>();
    range.forEach((partition, r) -> {
      from.put(new TopicPartition(name, partition), r.from());
      to.put(new TopicPartition(name, partition), r.to());
    });
    return source.setPartitions(new java.util.HashSet<>(from.keySet())).setStartingOffsets(OffsetsInitializer.offsets(from))
        .setBounded(OffsetsInitializer.offsets(to)).build();
  }

  public static <T extends SpecificRecord> KafkaSink<T> kafkaSink(MarketDataJobConfig c, Topic topic,
      Class<T> type, SerializationSchema<T> key) {
    return kafkaSink(c, topic, type, key, "");
  }

  /**
   * Exactly once: a transaction per checkpoint. Records are stamped with the time they are written, not their
   * event time ({@link IngestTimeRecords}). {@code sinkName} tells apart two sinks of one topic in one job
   * (their transactional ids must differ).
   */
  public static <T extends SpecificRecord> KafkaSink<T> kafkaSink(MarketDataJobConfig c, Topic topic,
      Class<T> type, SerializationSchema<T> key, String sinkName) {
    return KafkaSink.<T>builder()
        .setBootstrapServers(c.bootstrapServers())
        .setRecordSerializer(new IngestTimeRecords<>(c.scope().outputTopic(topic), type, key))
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(c.scope().group(c.groupId()) + "-" + topic.topicName()
            + (sinkName.isEmpty() ? "" : "-" + sinkName))
        // Must not exceed the broker's transaction.max.timeout.ms (15 min by default).
        .setProperty("transaction.timeout.ms", Long.toString(Duration.ofMinutes(15).toMillis()))
        // Readers see nothing before the checkpoint commits the transaction, so waiting to fill larger batches
        // costs them no latency, and fewer, larger produce requests cost the producer and the broker less CPU.
        .setProperty("batch.size", Integer.toString(SINK_BATCH_BYTES))
        .setProperty("linger.ms", Integer.toString(SINK_LINGER_MS))
        .build();
  }

  public static InternalTypeInfo<RowData> rowType(TableDefinition table) {
    return InternalTypeInfo.of(FlinkSchemaUtil.convert(table.schema()));
  }

  /** Iceberg's own Flink sink, committing on checkpoints; with key columns, DELETE rows remove a key's row. */
  public static void appendToLake(DataStream<RowData> rows, TableDefinition table, MarketDataJobConfig c,
      String name, List<String> keyColumns) {
    FlinkSink.Builder sink = FlinkSink.forRowData(rows)
        .tableLoader(TableLoader.fromCatalog(c.catalog().flinkSinkLoader(), c.scope().table(table).identifier()))
        .uidPrefix(c.scope().io("iceberg-" + name))
        .writeParallelism(c.parallelism());
    if (!keyColumns.isEmpty()) {
      sink.equalityFieldColumns(keyColumns).upsert(false);
    }
    sink.append();
  }

  /** Creates or evolves {@code tables}, as the run {@code c} writes them, before the job is submitted. */
  public static void ensureTables(MarketDataJobConfig c, List<TableDefinition> tables) {
    ensureTables(c.catalog(), tables.stream().map(c.scope()::table).toList());
  }

  /** Creates or evolves {@code tables} before the job is submitted (idempotent). */
  public static void ensureTables(CatalogConfig config, List<TableDefinition> tables) {
    Catalog catalog = config.load();
    try {
      tables.forEach(t -> t.ensure(catalog));
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // closing a catalog client cannot lose data
        }
      }
    }
  }
}
