package dev.tickflow.jobs.io;

import dev.tickflow.schemas.flink.EventSerializationSchema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka records of one tickflow event type with no timestamp of their own, so the producer stamps them with the
 * time they are written. Kafka's retention, offsets-for-times and tickflow's replay ranges all count in that
 * time (tickflow's topics use {@code LogAppendTime} for the same reason). Flink's record serializer builder
 * always sets the element's event time instead: on a topic with {@code CreateTime}, history from last year
 * would be past any time retention the moment it is written, and the broker's next retention pass would delete
 * it although every transaction committed.
 */
public final class IngestTimeRecords<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final SerializationSchema<T> key;
  private final SerializationSchema<T> value;

  public IngestTimeRecords(String topic, Class<T> type, SerializationSchema<T> key) {
    this.topic = topic;
    this.key = key;
    this.value = new EventSerializationSchema<>(type);
  }

  @Override
  public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
    key.open(context);
    value.open(context);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long eventTime) {
    // partition null: the producer's default partitioner places the record by its key
    return new ProducerRecord<>(topic, null, null, key.serialize(element), value.serialize(element));
  }
}
