package dev.tickflow.jobs.patterns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tickflow.relay.cli.DurationConverter;
import dev.tickflow.schemas.Timeframe;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a patterns file ({@code patterns:} then a list), YAML or JSON, naming every problem at once. Patterns are
 * part of the job graph: a changed file takes effect when the job is restarted from its savepoint.
 */
public final class PatternSpecs {

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  /** The patterns tickflow runs when given none: one of each type on every ticker's 1m bars. */
  public static final String DEFAULTS = "/dev/tickflow/jobs/patterns/default-patterns.yaml";

  private PatternSpecs() {}

  /** The bundled default patterns. */
  public static List<PatternSpec> defaults() {
    try (InputStream in = PatternSpecs.class.getResourceAsStream(DEFAULTS)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the bundled patterns are missing: " + e, e);
    }
  }

  /** A patterns file. */
  public static List<PatternSpec> load(java.nio.file.Path file) {
    try {
      return parse(java.nio.file.Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("patterns: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * @throws IllegalArgumentException naming every problem
   */
  public static List<PatternSpec> parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("patterns: not YAML or JSON: " + e.getOriginalMessage());
    }
    List<String> problems = new ArrayList<>();
    List<PatternSpec> out = new ArrayList<>();
    JsonNode list = root == null ? null : root.get("patterns");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("patterns: the file needs 'patterns:' with a list of patterns");
    }
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode p : list) {
      i++;
      String id = p.path("id").asText("");
      String where = "pattern '" + (id.isEmpty() ? "#" + i : id) + "'";
      if (!id.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        problems.add(where + ": id must be 1-64 lower case letters, digits, '.', '_' or '-'");
      } else if (!ids.add(id)) {
        problems.add(where + ": two patterns have this id");
      }
      PatternSpec.Type type = null;
      try {
        type = PatternSpec.Type.valueOf(p.path("type").asText("").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": type '" + p.path("type").asText("") + "' is not one of rising_closes_with_volume, "
            + "spike_reversal, confirmed_breakout, stale_feed, trade_burst");
      }
      List<String> tickers = new ArrayList<>();
      if (!p.path("tickers").isArray() || p.path("tickers").isEmpty()) {
        problems.add(where + ": tickers must list at least one EXCHANGE:BASE/QUOTE ('*' matches any text)");
      } else {
        p.path("tickers").forEach(t -> tickers.add(t.asText()));
      }
      Timeframe timeframe = Timeframe.M1;
      if (p.has("timeframe")) {
        try {
          timeframe = Timeframe.parse(p.get("timeframe").asText());
        } catch (IllegalArgumentException e) {
          problems.add(where + ": " + e.getMessage());
        }
      }
      int bars = 0;
      BigDecimal percent = null;
      Duration window = null;
      BigDecimal minAmount = BigDecimal.ZERO;
      dev.tickflow.schemas.event.Side side = null;
      if (type == PatternSpec.Type.TRADE_BURST) {
        JsonNode n = p.get("trades");
        if (n == null || !n.canConvertToExactIntegral() || n.asInt() < 2 || n.asInt() > 1000) {
          problems.add(where + ": trades must be a whole number from 2 to 1000");
        } else {
          bars = n.asInt();
        }
        try {
          window = DurationConverter.parse(p.path("window").asText(""));
          if (window.isZero() || window.isNegative() || window.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(where + ": window must be more than zero and at most an hour, not " + window);
          }
        } catch (RuntimeException e) {
          problems.add(where + ": window must be a duration such as 10s");
        }
        if (p.has("min_amount")) {
          if (!p.get("min_amount").isNumber() || p.get("min_amount").decimalValue().signum() < 0) {
            problems.add(where + ": min_amount must be a number of at least 0");
          } else {
            minAmount = p.get("min_amount").decimalValue();
          }
        }
        String s = p.path("side").asText("any").toLowerCase(Locale.ROOT);
        if (s.equals("buy") || s.equals("sell")) {
          side = dev.tickflow.schemas.event.Side.valueOf(s.toUpperCase(Locale.ROOT));
        } else if (!s.equals("any")) {
          problems.add(where + ": side '" + s + "' is not buy, sell or any");
        }
      } else if (type == PatternSpec.Type.SPIKE_REVERSAL) {
        percent = p.path("percent").isNumber() && p.get("percent").decimalValue().signum() > 0
            ? p.get("percent").decimalValue() : null;
        if (percent == null) {
          problems.add(where + ": percent must be a positive number");
        }
        try {
          window = DurationConverter.parse(p.path("window").asText(""));
          if (window.toMillis() < timeframe.millis() || window.compareTo(Duration.ofDays(1)) > 0) {
            problems.add(where + ": window must be one bar to one day, not " + window);
          }
        } catch (RuntimeException e) {
          problems.add(where + ": window must be a duration such as 10m");
        }
      } else if (type != null) {
        JsonNode b = p.get("bars");
        if (b == null || !b.canConvertToExactIntegral() || b.asInt() < 1 || b.asInt() > 120) {
          problems.add(where + ": bars must be a whole number from 1 to 120 (a pattern's state grows with it)");
        } else {
          bars = b.asInt();
        }
      }
      if (problems.isEmpty()) {
        out.add(new PatternSpec(id, type, List.copyOf(tickers), timeframe, bars, percent, window, minAmount, side));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("patterns are invalid: " + String.join("; ", problems));
    }
    return out;
  }
}
