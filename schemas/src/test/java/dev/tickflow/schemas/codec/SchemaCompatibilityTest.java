package dev.tickflow.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.RawTrade;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema change must be backward compatible (new readers read old data) and forward compatible (old
 * readers read new data) with the last released schema. When this fails, make the change compatible (add
 * fields with defaults, never remove or retype a field without one), not the released file.
 */
class SchemaCompatibilityTest {

  static Stream<Class<? extends SpecificRecord>> eventTypes() {
    return EventTypes.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("eventTypes")
  void currentSchemaIsCompatibleBothWaysWithTheReleasedOne(Class<? extends SpecificRecord> type) {
    Schema current = SpecificData.get().getSchema(type);
    Schema released = EventTypes.released(type)
        .orElseThrow(() -> new AssertionError(type.getSimpleName() + " has no released schema"));
    assertThat(incompatibilities(current, released)).as(type.getSimpleName()).isEmpty();
  }

  @Test
  void theCheckCatchesABreakingChange() {
    Schema released = EventTypes.released(RawTrade.class).orElseThrow();
    Map<String, Object> json = parse(released.toString());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> fields = (List<Map<String, Object>>) json.get("fields");
    fields.add(Map.of("name", "venueSequence", "type", "long")); // required, no default
    Schema breaking = new Schema.Parser().parse(toJson(json));

    assertThat(incompatibilities(breaking, released))
        .singleElement().asString().contains("backward").contains("venueSequence");
  }

  @Test
  void aPayloadWrittenWithAnOlderReleaseDecodesIntoTheCurrentType() throws IOException {
    Schema current = RawTrade.getClassSchema();
    // The older release had no 'info' map; the current schema gives it a default.
    Map<String, Object> json = parse(current.toString());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> fields = (List<Map<String, Object>>) json.get("fields");
    fields.removeIf(f -> f.get("name").equals("info"));
    Schema older = new Schema.Parser().parse(toJson(json));

    RawTrade sample = SampleEvents.sample(RawTrade.class, 0);
    GenericRecord old = new GenericData.Record(older);
    for (Schema.Field f : older.getFields()) {
      Object v = sample.get(f.name());
      old.put(f.name(), v instanceof Enum<?> e ? new GenericData.EnumSymbol(f.schema(), e.name()) : v);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xC3, 0x01});
    long fp = SchemaNormalization.parsingFingerprint64(older);
    for (int i = 0; i < 8; i++) {
      out.write((int) (fp >>> (8 * i)) & 0xFF);
    }
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new org.apache.avro.Conversions.DecimalConversion());
    model.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
    new GenericDatumWriter<GenericRecord>(older, model).write(old, enc);
    enc.flush();

    EventCodec<RawTrade> codec = new EventCodec<>(RawTrade.class, current, List.of(older));
    RawTrade decoded = codec.decode(out.toByteArray());
    assertThat(decoded.getPrice()).isEqualTo(sample.getPrice());
    assertThat(decoded.getInfo()).isEmpty();
  }

  static List<String> incompatibilities(Schema current, Schema released) {
    var backward = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
    var forward = SchemaCompatibility.checkReaderWriterCompatibility(released, current);
    return Stream.of(
            backward.getType() == SchemaCompatibilityType.COMPATIBLE ? null
                : "backward: " + backward.getResult().getIncompatibilities(),
            forward.getType() == SchemaCompatibilityType.COMPATIBLE ? null
                : "forward: " + forward.getResult().getIncompatibilities())
        .filter(s -> s != null)
        .collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String toJson(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
