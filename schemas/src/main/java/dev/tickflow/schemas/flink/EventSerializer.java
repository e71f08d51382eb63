package dev.tickflow.schemas.flink;

import java.io.IOException;
import dev.tickflow.schemas.codec.RecordCoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.utils.DataInputDecoder;
import org.apache.flink.formats.avro.utils.DataOutputEncoder;

/**
 * Flink's serializer for a tickflow event type: Avro's binary encoding through Flink's own {@link AvroSerializer},
 * which it delegates to for every byte it writes and for its snapshot (so state and savepoints are exactly what
 * they were with Avro's serializer, and either restores the other), but with no copy. An event is never changed
 * once an operator has emitted it, so the copy Flink makes of every record handed from one chained operator to the
 * next ({@code AvroSerializer.copy} is Avro's reflective deep copy) buys nothing; it was a quarter to a third of
 * the market-data job's busiest tasks. Deserialization always builds a new record, so nothing an operator keeps
 * is ever overwritten by a later one, whatever the job's object-reuse setting.
 *
 * <p>Types with a {@link RecordCoder} (the trades) are written and read by it, through the same Flink encoder
 * and decoder Avro's serializer uses: the same bytes, without Avro's generic per-field dispatch.
 */
public final class EventSerializer<T extends SpecificRecord> extends TypeSerializer<T> {

  private static final long serialVersionUID = 1L;

  private final AvroSerializer<T> avro;
  /** Stateful, so each duplicate has its own; Flink gives each thread a duplicate. */
  private transient DataOutputEncoder encoder;
  private transient DataInputDecoder decoder;

  public EventSerializer(Class<T> type) {
    this(new AvroSerializer<>(type));
  }

  private EventSerializer(AvroSerializer<T> avro) {
    this.avro = avro;
  }

  public Class<T> getType() {
    return avro.getType();
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TypeSerializer<T> duplicate() {
    return new EventSerializer<>((AvroSerializer<T>) avro.duplicate());
  }

  @Override
  public T createInstance() {
    return avro.createInstance();
  }

  @Override
  public T copy(T from) {
    return from;
  }

  @Override
  public T copy(T from, T reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return avro.getLength();
  }

  @Override
  public void serialize(T record, DataOutputView target) throws IOException {
    RecordCoder<T> coder = RecordCoder.of(avro.getType());
    if (coder == null) {
      avro.serialize(record, target);
      return;
    }
    if (encoder == null) {
      encoder = new DataOutputEncoder();
    }
    encoder.setOut(target);
    coder.encode(record, encoder);
  }

  @Override
  public T deserialize(DataInputView source) throws IOException {
    RecordCoder<T> coder = RecordCoder.of(avro.getType());
    if (coder == null) {
      return avro.deserialize(source);
    }
    if (decoder == null) {
      decoder = new DataInputDecoder();
    }
    decoder.setIn(source);
    return coder.decode(decoder);
  }

  @Override
  public T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    avro.copy(source, target);
  }

  @Override
  public TypeSerializerSnapshot<T> snapshotConfiguration() {
    return avro.snapshotConfiguration();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventSerializer<?> other && avro.equals(other.avro);
  }

  @Override
  public int hashCode() {
    return avro.hashCode();
  }

  @Override
  public String toString() {
    return "EventSerializer(" + avro.getType().getName() + ")";
  }
}
