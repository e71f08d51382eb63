package dev.tickflow.schemas.codec;

import dev.tickflow.schemas.Decimals;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Builds a fully populated instance of any event type, with every field set to a non-default value. */
public final class SampleEvents {

  private SampleEvents() {}

  public static <T extends SpecificRecord> T sample(Class<T> type, int seed) {
    SpecificData model = SpecificData.getForClass(type);
    @SuppressWarnings("unchecked")
    T record = (T) value(model, model.getSchema(type), seed);
    return record;
  }

  private static Object value(SpecificData model, Schema schema, int seed) {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal) {
      // A real price with 8 places plus a tiny 18th-place remainder: exercises the full scale.
      return Decimals.exact(new BigDecimal("1234.56789012").add(new BigDecimal(seed).movePointLeft(18)));
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli(1_570_752_011_620L + seed);
    }
    return switch (schema.getType()) {
      case RECORD -> {
        Object record = model.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
          model.setField(record, field.name(), field.pos(), value(model, field.schema(), seed + field.pos()));
        }
        yield record;
      }
      case UNION -> value(model, schema.getTypes().stream()
          .filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow(), seed);
      case ENUM -> model.createEnum(schema.getEnumSymbols().get(seed % schema.getEnumSymbols().size()), schema);
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        list.add(value(model, schema.getElementType(), seed));
        list.add(value(model, schema.getElementType(), seed + 1));
        yield list;
      }
      case MAP -> {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k" + seed, value(model, schema.getValueType(), seed));
        yield map;
      }
      case STRING -> "s" + seed + "-ü€";
      case BYTES -> ByteBuffer.wrap(("b" + seed).getBytes(StandardCharsets.UTF_8));
      case INT -> 7 + seed;
      case LONG -> 1_000_000_007L + seed;
      case BOOLEAN -> seed % 2 == 0;
      case DOUBLE -> 0.5 + seed;
      case FLOAT -> 0.25f + seed;
      default -> throw new IllegalArgumentException("no sample for " + schema);
    };
  }
}
