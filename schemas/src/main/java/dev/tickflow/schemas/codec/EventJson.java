package dev.tickflow.schemas.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.schemas.Decimals;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * Renders events as JSON for people and tools: decimals as exact strings ({@code "0.00141342"}, never a JSON
 * float that a reader might round), timestamps as ISO-8601, bytes as base64, plus {@code "@type"}.
 */
public final class EventJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EventJson() {}

  public static String toJson(SpecificRecord event) {
    ObjectNode node = NODES.objectNode();
    node.put("@type", event.getSchema().getName());
    node.setAll(record(event));
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode record(IndexedRecord record) {
    ObjectNode node = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), value(record.get(field.pos())));
    }
    return node;
  }

  private static JsonNode value(Object v) {
    if (v == null) {
      return NODES.nullNode();
    } else if (v instanceof BigDecimal d) {
      return NODES.textNode(Decimals.format(d));
    } else if (v instanceof Instant t) {
      return NODES.textNode(t.toString());
    } else if (v instanceof IndexedRecord r) {
      return record(r);
    } else if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?>) {
      return NODES.textNode(v.toString());
    } else if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    } else if (v instanceof Map<?, ?> m) {
      ObjectNode node = NODES.objectNode();
      m.forEach((k, x) -> node.set(k.toString(), value(x)));
      return node;
    } else if (v instanceof Collection<?> c) {
      ArrayNode array = NODES.arrayNode();
      c.forEach(x -> array.add(value(x)));
      return array;
    } else if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (v instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    return NODES.textNode(v.toString());
  }
}
