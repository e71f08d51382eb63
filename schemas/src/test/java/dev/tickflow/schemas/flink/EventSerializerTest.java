package dev.tickflow.schemas.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.SampleEvents;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSerializerTest {

  static List<Class<? extends SpecificRecord>> eventTypes() {
    return EventTypes.ALL;
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  <T extends SpecificRecord> void writesAvrosBytesAndReadsThemIntoNewRecords(Class<T> type) throws Exception {
    EventSerializer<T> events = new EventSerializer<>(type);
    AvroSerializer<T> avro = new AvroSerializer<>(type);
    T sample = SampleEvents.sample(type, 3);

    byte[] ours = bytes(events, sample);
    assertThat(ours).as("the same bytes as Avro's serializer").isEqualTo(bytes(avro, sample));
    T read = events.deserialize(new DataInputDeserializer(bytes(avro, sample)));
    assertThat(read).isEqualTo(sample).isNotSameAs(sample);
    T reuse = SampleEvents.sample(type, 4);
    assertThat(events.deserialize(reuse, new DataInputDeserializer(ours))).as("never into a record kept elsewhere")
        .isEqualTo(sample).isNotSameAs(reuse);
    assertThat(reuse).isEqualTo(SampleEvents.sample(type, 4));
    assertThat(events.copy(sample)).as("an emitted event is never changed: no copy").isSameAs(sample);
    assertThat(events.isImmutableType()).isTrue();
  }

  @Test
  void stateWrittenWithEitherSerializerRestoresWithTheOther() throws Exception {
    TypeSerializerSnapshot<Candle> ours = new EventSerializer<>(Candle.class).snapshotConfiguration();
    TypeSerializerSnapshot<Candle> avros = new AvroSerializer<>(Candle.class).snapshotConfiguration();
    // a savepoint stores the snapshot's bytes; a restore reads them back and asks the new serializer's snapshot
    TypeSerializerSnapshot<Candle> oursRestored = roundTrip(ours);
    TypeSerializerSnapshot<Candle> avrosRestored = roundTrip(avros);
    TypeSerializerSchemaCompatibility<Candle> avroToOurs = ours.resolveSchemaCompatibility(avrosRestored);
    TypeSerializerSchemaCompatibility<Candle> oursToAvro = avros.resolveSchemaCompatibility(oursRestored);
    assertThat(avroToOurs.isCompatibleAsIs()).as("older tickflow's state into this one").isTrue();
    assertThat(oursToAvro.isCompatibleAsIs()).as("this state into an older tickflow").isTrue();
  }

  @Test
  void onceRegisteredFlinksTypeExtractionGivesItForEveryEventType() {
    EventTypeInfo.register();
    EventTypeInfo.register(); // a second job built in the same JVM
    ExecutionConfig execution = new ExecutionConfig();
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      TypeInformation<? extends SpecificRecord> info = TypeInformation.of(type);
      assertThat(info).as(type.getSimpleName()).isEqualTo(new EventTypeInfo<>(type));
      assertThat(info.createSerializer(execution.getSerializerConfig())).isInstanceOf(EventSerializer.class);
    }
    assertThat(TypeInformation.of(Trade.class).createSerializer(execution.getSerializerConfig()))
        .isEqualTo(new EventSerializer<>(Trade.class));
  }

  private static <T> byte[] bytes(TypeSerializer<T> serializer, T record) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(record, out);
    return out.getCopyOfBuffer();
  }

  private static <T> TypeSerializerSnapshot<T> roundTrip(TypeSerializerSnapshot<T> snapshot) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(256);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
        EventSerializerTest.class.getClassLoader());
  }
}
