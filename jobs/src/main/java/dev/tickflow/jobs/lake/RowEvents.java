package dev.tickflow.jobs.lake;

import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.iceberg.data.Record;

/**
 * The inverse of {@link RecordRows} for the flat event types (trades, candles): an Iceberg row back into its Avro
 * event, field by field by name ({@code camelCase} field from the {@code snake_case} column, {@code source} from
 * the {@code src_*} columns). A backtest feeds lake history to the jobs this way, as the events they read live.
 */
public final class RowEvents {

  private RowEvents() {}

  /** {@code row} as a {@code type}; a field without a column takes its schema default. */
  public static <T extends SpecificRecordBase> T event(Record row, Class<T> type) {
    @SuppressWarnings("unchecked")
    T event = (T) SpecificData.newInstance(type, SpecificData.get().getSchema(type));
    Schema schema = event.getSchema();
    for (Schema.Field f : schema.getFields()) {
      Object value;
      if (f.name().equals("source")) {
        value = new SourceRange((String) row.getField("src_topic"), (Integer) row.getField("src_partition"),
            srcOffset(row, "src_from_offset", "src_offset"), srcOffset(row, "src_to_offset", "src_offset"));
      } else {
        String column = snake(f.name());
        if (row.struct().field(column) == null || row.getField(column) == null) {
          value = f.hasDefaultValue() ? SpecificData.get().getDefaultValue(f) : null;
        } else {
          value = convert(row.getField(column), f.schema());
        }
      }
      event.put(f.pos(), value);
    }
    return event;
  }

  private static long srcOffset(Record row, String column, String single) {
    Object v = row.struct().field(column) != null ? row.getField(column) : row.getField(single);
    return (Long) v;
  }

  private static Object convert(Object v, Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return convert(v, branch);
        }
      }
    }
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
      return ((BigDecimal) v).setScale(d.getScale(), RoundingMode.UNNECESSARY);
    }
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return instant(v);
    }
    if (schema.getType() == Schema.Type.ENUM) {
      return SpecificData.get().createEnum((String) v, schema);
    }
    return v;
  }

  static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  /** A row's timestamp column as an instant. */
  public static Instant instant(Object v) {
    if (v instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (v instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    throw new IllegalArgumentException("not a timestamp: " + v);
  }

  /** An instant as Iceberg's timestamp literal (microseconds), for scan filters. */
  public static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
