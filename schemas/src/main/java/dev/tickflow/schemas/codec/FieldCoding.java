package dev.tickflow.schemas.codec;

import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/**
 * The field encodings {@link RecordCoder}s share, each exactly as Avro's writer and reader do it: decimals through
 * Avro's own {@link Conversions.DecimalConversion} (so scale adjustment and precision checks are Avro's), optional
 * strings as the union {@code ["null", "string"]}.
 */
final class FieldCoding {

  private static final Conversions.DecimalConversion DECIMAL = new Conversions.DecimalConversion();
  private static final Side[] SIDES = Side.values();

  private FieldCoding() {}

  static String required(String value, String field) {
    return Objects.requireNonNull(value, () -> "null value for (non-nullable) " + field);
  }

  static <V> V required(V value, String field) {
    return Objects.requireNonNull(value, () -> "null value for (non-nullable) " + field);
  }

  /** A decimal field of a record schema: its schema and logical type, looked up once. */
  record DecimalField(Schema schema, LogicalType type, String name) {

    static DecimalField of(Schema record, String field) {
      Schema schema = record.getField(field).schema();
      return new DecimalField(schema, schema.getLogicalType(), record.getName() + "." + field);
    }

    void write(BigDecimal value, Encoder out) throws IOException {
      out.writeBytes(DECIMAL.toBytes(required(value, name), schema, type));
    }

    BigDecimal read(Decoder in) throws IOException {
      return DECIMAL.fromBytes(in.readBytes(null), schema, type);
    }
  }

  static void writeInstant(Instant value, String field, Encoder out) throws IOException {
    out.writeLong(required(value, field).toEpochMilli());
  }

  static Instant readInstant(Decoder in) throws IOException {
    return Instant.ofEpochMilli(in.readLong());
  }

  static void writeSide(Side side, String field, Encoder out) throws IOException {
    out.writeEnum(required(side, field).ordinal());
  }

  static Side readSide(Decoder in) throws IOException {
    int index = in.readEnum();
    if (index < 0 || index >= SIDES.length) {
      throw new IOException("enum index " + index + " is not a Side");
    }
    return SIDES[index];
  }

  static void writeOptionalString(String value, Encoder out) throws IOException {
    if (value == null) {
      out.writeIndex(0);
      out.writeNull();
    } else {
      out.writeIndex(1);
      out.writeString(value);
    }
  }

  static String readOptionalString(Decoder in) throws IOException {
    int branch = in.readIndex();
    if (branch == 0) {
      in.readNull();
      return null;
    }
    if (branch == 1) {
      return in.readString();
    }
    throw new IOException("union branch " + branch + " of [null, string]");
  }

  static void writeSourceRange(SourceRange range, String field, Encoder out) throws IOException {
    required(range, field);
    out.writeString(required(range.getTopic(), "SourceRange.topic"));
    out.writeInt(range.getPartition());
    out.writeLong(range.getFromOffset());
    out.writeLong(range.getToOffset());
  }

  static SourceRange readSourceRange(Decoder in) throws IOException {
    return new SourceRange(in.readString(), in.readInt(), in.readLong(), in.readLong());
  }
}
