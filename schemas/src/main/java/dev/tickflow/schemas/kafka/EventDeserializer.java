package dev.tickflow.schemas.kafka;

import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of one tickflow event type. A bad payload throws {@link PayloadException}, which the
 * consumer surfaces as a {@code RecordDeserializationException} carrying partition and offset, so the
 * caller can dead-letter the record and seek past it.
 */
public final class EventDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  /** Config key naming the event class when Kafka instantiates this by class name. */
  public static final String EVENT_TYPE_CONFIG = "tickflow.event.type";

  private EventCodec<T> codec;

  public EventDeserializer() {}

  public EventDeserializer(Class<T> type) {
    this.codec = EventTypes.codec(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (codec == null) {
      this.codec = EventTypes.codec(EventDeserializer.<T>typeFrom(configs));
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null; // a tombstone is not an error
    }
    return codec.decode(data);
  }

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> Class<T> typeFrom(Map<String, ?> configs) {
    Object value = configs.get(EVENT_TYPE_CONFIG);
    if (value instanceof Class<?> c) {
      return (Class<T>) c;
    }
    if (value instanceof String name) {
      try {
        return (Class<T>) Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(EVENT_TYPE_CONFIG + "=" + name + " is not a class on the classpath", e);
      }
    }
    throw new IllegalArgumentException(
        "set " + EVENT_TYPE_CONFIG + " to a tickflow event class, e.g. dev.tickflow.schemas.event.Trade");
  }
}
