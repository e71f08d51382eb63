package dev.tickflow.schemas.flink;

import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink deserialization schema of one tickflow event type. A bad payload throws {@link PayloadException}.
 *
 * <p>Used as a Kafka source's value format this fails the job on a bad record, by design of the source. Jobs
 * that must survive bad records read raw bytes and decode in an operator that routes failures to the
 * dead-letter side output instead (see {@code dev.tickflow.jobs.marketdata.TradeNormalizer}).
 */
public final class EventDeserializationSchema<T extends SpecificRecord> implements DeserializationSchema<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private transient EventCodec<T> codec;

  public EventDeserializationSchema(Class<T> type) {
    this.type = type;
  }

  @Override
  public void open(InitializationContext context) {
    codec = EventTypes.codec(type);
  }

  @Override
  public T deserialize(byte[] message) {
    if (codec == null) {
      codec = EventTypes.codec(type);
    }
    return codec.decode(message);
  }

  @Override
  public boolean isEndOfStream(T nextElement) {
    return false;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return TypeInformation.of(type);
  }
}
