package dev.tickflow.schemas.flink;

import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Flink serialization schema of one tickflow event type, in Avro single-object encoding. */
public final class EventSerializationSchema<T extends SpecificRecord> implements SerializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient EventCodec<T> codec;

  public EventSerializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public void open(InitializationContext context) {
    codec = EventTypes.codec(type);
  }

  @Override
  public byte[] serialize(T element) {
    if (codec == null) {
      codec = EventTypes.codec(type);
    }
    return codec.encode(element);
  }
}
