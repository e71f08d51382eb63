package dev.tickflow.jobs.io;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer for {@link SourceRecord}: its fields in a fixed binary layout, and no copy. Nothing changes a
 * record once the source has made it, so the copy Flink makes of each record handed to a chained operator (a
 * {@code PojoSerializer} copy, field by field through reflection, the payload's bytes included) bought nothing.
 * Not copying also keeps what the source's timestamp assigner {@linkplain SourceRecord#decoded() decoded} for the
 * operator chained after it.
 */
public final class SourceRecordSerializer extends TypeSerializerSingleton<SourceRecord> {

  private static final long serialVersionUID = 1L;
  public static final SourceRecordSerializer INSTANCE = new SourceRecordSerializer();

  private static final int NO_BYTES = -1;

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public SourceRecord createInstance() {
    return new SourceRecord();
  }

  @Override
  public SourceRecord copy(SourceRecord from) {
    return from;
  }

  @Override
  public SourceRecord copy(SourceRecord from, SourceRecord reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(SourceRecord r, DataOutputView out) throws IOException {
    out.writeBoolean(r.topic != null);
    if (r.topic != null) {
      out.writeUTF(r.topic);
    }
    out.writeInt(r.partition);
    out.writeLong(r.offset);
    out.writeLong(r.timestamp);
    out.writeLong(r.eventTime);
    writeBytes(r.key, out);
    writeBytes(r.value, out);
  }

  @Override
  public SourceRecord deserialize(DataInputView in) throws IOException {
    String topic = in.readBoolean() ? in.readUTF() : null;
    int partition = in.readInt();
    long offset = in.readLong();
    long timestamp = in.readLong();
    long eventTime = in.readLong();
    byte[] key = readBytes(in);
    return new SourceRecord(topic, partition, offset, timestamp, eventTime, key, readBytes(in));
  }

  @Override
  public SourceRecord deserialize(SourceRecord reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<SourceRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
    if (bytes == null) {
      out.writeInt(NO_BYTES);
    } else {
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n == NO_BYTES) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  /** Restores the serializer from a savepoint; the layout has one version so far. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SourceRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
