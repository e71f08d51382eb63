package dev.tickflow.ingestors.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading venue JSON without losing a digit. Some venues send prices as JSON numbers (Kraken's v2 websocket,
 * Coinbase's candles); a default mapper would turn {@code 0.10025} into a double. This one keeps every number
 * as the exact decimal its text says, so {@link #number} returns the venue's digits.
 */
public final class VenueJson {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private VenueJson() {}

  /** The message as a tree, or null if it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Why a text is not JSON, for the dead-letter reason. */
  public static String whyNotJson(String text) {
    try {
      MAPPER.readTree(text);
      return "empty message";
    } catch (JsonProcessingException e) {
      return "not JSON: " + e.getOriginalMessage();
    }
  }

  /** A number field as exact text: a JSON string verbatim, a JSON number as its plain decimal digits; null if absent. */
  public static String number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
    }
    return v.isTextual() ? v.asText() : null;
  }

  /** An exact decimal, or null if the field is absent or not a number. */
  public static BigDecimal decimal(JsonNode node, String field) {
    String text = number(node, field);
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An ISO-8601 instant field ({@code 2022-10-19T23:28:22.061769Z}), or null. */
  public static Instant isoTime(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Every field of an object as text, verbatim (numbers exact), for a record's {@code info}. */
  public static Map<String, String> fields(JsonNode node) {
    Map<String, String> info = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      info.put(e.getKey(), v.isNumber() ? number(node, e.getKey()) : v.isValueNode() ? v.asText() : v.toString());
    });
    return info;
  }
}
