package dev.tickflow.jobs.lake;

import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * An event as a row of its Iceberg table, column by column by name: {@code snake_case} columns take the Avro
 * field of the same {@code camelCase} name, {@code ticker} is built from exchange, base and quote, and
 * {@code src_*} come from the event's {@code source}. The trading tables have many columns that follow the
 * event field for field; naming them once in the table schema keeps the two from drifting apart, which a
 * positional row would not. A column with no field is an error when the mapper is built, not at run time.
 */
public final class RecordRows<T extends SpecificRecordBase> implements MapFunction<T, RowData> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private transient List<Column> columns;

  public RecordRows(TableDefinition table, Class<T> type) {
    this.schema = table.schema();
    resolve(type); // fail fast on a column without a field
  }

  @Override
  public RowData map(T event) {
    if (columns == null) {
      resolve(event.getClass());
    }
    GenericRowData row = new GenericRowData(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      row.setField(i, columns.get(i).read(event));
    }
    return row;
  }

  private void resolve(Class<?> type) {
    org.apache.avro.Schema avro = org.apache.avro.specific.SpecificData.get().getSchema(type);
    List<Column> resolved = new ArrayList<>();
    for (Types.NestedField f : schema.columns()) {
      resolved.add(column(avro, f));
    }
    columns = resolved;
  }

  private static Column column(org.apache.avro.Schema avro, Types.NestedField f) {
    String name = f.name();
    if (name.equals("ticker")) {
      return e -> StringData.fromString(Ticker.key(
          String.valueOf(e.get("exchange")), String.valueOf(e.get("base")), String.valueOf(e.get("quote"))));
    }
    if (name.startsWith("src_") && avro.getField("source") != null) {
      String part = camel(name.substring(4));
      return e -> {
        SourceRange s = (SourceRange) e.get("source");
        return s == null ? null : convert(s.get(part), f.type());
      };
    }
    String field = camel(name);
    if (avro.getField(field) == null) {
      throw new IllegalArgumentException("column " + name + " has no field " + field + " in " + avro.getName());
    }
    return e -> convert(e.get(field), f.type());
  }

  @SuppressWarnings("unchecked")
  private static Object convert(Object v, Type type) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      case STRING -> StringData.fromString(v instanceof Enum<?> en ? en.name() : v.toString());
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) type;
        yield DecimalData.fromBigDecimal((BigDecimal) v, d.precision(), d.scale());
      }
      case TIMESTAMP -> TimestampData.fromInstant((Instant) v);
      case BOOLEAN, INTEGER, LONG -> v;
      case LIST -> {
        Type element = type.asListType().elementType();
        List<?> list = (List<?>) v;
        Object[] out = new Object[list.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = element.isStructType() ? struct((SpecificRecordBase) list.get(i), element.asStructType())
              : convert(list.get(i), element);
        }
        yield new GenericArrayData(out);
      }
      case MAP -> {
        Types.MapType m = type.asMapType();
        Map<Object, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) v).forEach((k, x) -> out.put(convert(k, m.keyType()), convert(x, m.valueType())));
        yield new GenericMapData(out);
      }
      case STRUCT -> struct((SpecificRecordBase) v, type.asStructType());
      default -> throw new IllegalArgumentException("no conversion to " + type);
    };
  }

  private static RowData struct(SpecificRecordBase r, Types.StructType type) {
    List<Types.NestedField> fields = type.fields();
    GenericRowData row = new GenericRowData(fields.size());
    for (int i = 0; i < fields.size(); i++) {
      Types.NestedField f = fields.get(i);
      row.setField(i, r.getSchema().getField(camel(f.name())) == null ? null
          : convert(r.get(camel(f.name())), f.type()));
    }
    return row;
  }

  static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(ch) : ch);
        up = false;
      }
    }
    return b.toString();
  }

  @FunctionalInterface
  private interface Column {
    Object read(SpecificRecordBase event);
  }
}
