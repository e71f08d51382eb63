package dev.tickflow.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SourceRecordSerializerTest {

  private static SourceRecord roundTrip(SourceRecord r) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SourceRecordSerializer.INSTANCE.serialize(r, out);
    return SourceRecordSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  @Test
  void typeExtractionGivesItsSerializer() {
    TypeSerializer<SourceRecord> serializer = FlinkTypes.of(SourceRecord.class)
        .createSerializer(new SerializerConfigImpl());
    assertThat(serializer).isSameAs(SourceRecordSerializer.INSTANCE);
  }

  @Test
  void everyFieldSurvivesTheWireAndTheMemoDoesNot() throws Exception {
    SourceRecord r = new SourceRecord("market_data.raw", 3, 1_234_567_890_123L, 1_700_000_000_000L, 1_699_999_999_000L,
        "BINANCE:XRP/ETH".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2, (byte) 0xff});
    r.decoded("decided already");
    SourceRecord back = roundTrip(r);
    assertThat(back).isEqualTo(r);
    assertThat(back.decoded()).isNull();
  }

  @Test
  void nullTopicKeyAndValueSurvive() throws Exception {
    SourceRecord r = new SourceRecord(null, 0, 0, 0, Long.MIN_VALUE, null, null);
    SourceRecord back = roundTrip(r);
    assertThat(back).isEqualTo(r);
    assertThat(back.topic).isNull();
    assertThat(back.key).isNull();
    assertThat(back.value).isNull();
    assertThat(roundTrip(new SourceRecord("t", 0, 0, 0, 0, new byte[0], new byte[0])).value).isEmpty();
  }

  @Test
  void handsTheSameRecordOnSoWhatWasDecodedStaysWithIt() {
    SourceRecord r = new SourceRecord("t", 0, 1, 2, 3, null, new byte[] {1});
    r.decoded("outcome");
    assertThat(SourceRecordSerializer.INSTANCE.copy(r)).isSameAs(r);
    assertThat(SourceRecordSerializer.INSTANCE.copy(r).decoded()).isEqualTo("outcome");
  }

  @Test
  void itsSnapshotRestoresItAsIs() throws Exception {
    TypeSerializerSnapshot<SourceRecord> snapshot = SourceRecordSerializer.INSTANCE.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<SourceRecord> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializerSchemaCompatibility<SourceRecord> compatibility =
        SourceRecordSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(read);
    assertThat(compatibility.isCompatibleAsIs()).isTrue();
    assertThat(read.restoreSerializer()).isSameAs(SourceRecordSerializer.INSTANCE);
  }
}
