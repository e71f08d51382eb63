package dev.tickflow.schemas.kafka;

import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of one tickflow event type (Avro single-object encoding, no registry needed).
 *
 * <p>Construct it with the type, or let Kafka construct it by class name and name the type in the config
 * {@value EventDeserializer#EVENT_TYPE_CONFIG}.
 */
public final class EventSerializer<T extends SpecificRecord> implements Serializer<T> {

  private EventCodec<T> codec;

  public EventSerializer() {}

  public EventSerializer(Class<T> type) {
    this.codec = EventTypes.codec(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (codec == null) {
      this.codec = EventTypes.codec(EventDeserializer.<T>typeFrom(configs));
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : codec.encode(data);
  }
}
