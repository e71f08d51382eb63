package dev.tickflow.jobs.detector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tickflow.jobs.indicators.BollingerBand;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.relay.cli.DurationConverter;
import dev.tickflow.schemas.Timeframe;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads detector configs, YAML or JSON (the published schema is {@code docs/detector.schema.json}), and says
 * everything that is wrong with one at once. Numbers are read as exact decimals.
 */
public final class DetectorConfigs {

  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> TOP = Set.of("id", "version", "description", "tickers", "timeframe", "indicators",
      "rules", "thresholds", "cooldown");
  private static final Set<String> CONDITIONS = Set.of("greater_than", "less_than", "crosses_above", "crosses_below",
      "within", "rising_closes", "falling_closes", "volume_spike", "breakout_high", "breakout_low", "pattern");
  private static final String NAME = "[a-z][a-z0-9_]{0,63}";

  private DetectorConfigs() {}

  /**
   * Parses and validates a config.
   *
   * @throws InvalidDetectorConfigException listing every problem
   */
  public static DetectorConfig parse(String text) {
    JsonNode root;
    try {
      // YAML is a superset of JSON: one reader for both
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidDetectorConfigException("detector config",
          List.of("not YAML or JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidDetectorConfigException("detector config", List.of("must be an object with id, rules, ..."));
    }
    return new Reader((ObjectNode) root).read();
  }

  /**
   * Every config in a directory ({@code *.yaml}, {@code *.yml}, {@code *.json}), in file-name order.
   *
   * @throws IllegalArgumentException naming each invalid file and its problems, or two files with one id
   */
  public static List<DetectorConfig> loadDir(java.nio.file.Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new IllegalArgumentException("detectors: " + dir + " is not a directory");
    }
    List<DetectorConfig> configs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (var files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : files.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList()) {
        try {
          DetectorConfig c = parse(java.nio.file.Files.readString(f));
          if (configs.stream().anyMatch(o -> o.id().equals(c.id()))) {
            problems.add(f.getFileName() + ": a second detector with id '" + c.id() + "'");
          }
          configs.add(c);
        } catch (InvalidDetectorConfigException e) {
          problems.add(f.getFileName() + ": " + String.join("; ", e.problems()));
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("detectors: cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("detectors in " + dir + " are invalid: " + String.join(" | ", problems));
    }
    return configs;
  }

  /** The config as compact JSON, what the config topic carries. */
  public static String toJson(String text) {
    try {
      return JSON.writeValueAsString(YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw new InvalidDetectorConfigException("detector config", List.of("not YAML or JSON: " + e.getOriginalMessage()));
    }
  }

  /** Walks the tree once, collecting problems instead of stopping at the first. */
  private static final class Reader {
    private final ObjectNode root;
    private final List<String> problems = new ArrayList<>();

    Reader(ObjectNode root) {
      this.root = root;
    }

    DetectorConfig read() {
      for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!TOP.contains(key)) {
          problems.add("unknown key '" + key + "' (known: " + String.join(", ", new java.util.TreeSet<>(TOP)) + ")");
        }
      }
      String id = text(root, "id", "id");
      if (id != null && !id.matches("[A-Za-z0-9._-]{1,64}")) {
        problems.add("id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
      }
      int version = 0;
      JsonNode v = root.get("version");
      if (v == null || !v.canConvertToExactIntegral() || v.asInt() < 1) {
        problems.add("version must be a whole number from 1 up" + (v == null ? ", and is missing" : ", not " + v));
      } else {
        version = v.asInt();
      }
      List<String> tickers = new ArrayList<>();
      JsonNode t = root.get("tickers");
      if (t == null || !t.isArray() || t.isEmpty()) {
        problems.add("tickers must list at least one EXCHANGE:BASE/QUOTE (a '*' matches any text)");
      } else {
        for (JsonNode n : t) {
          String ticker = n.asText();
          if (!ticker.matches("[A-Z0-9*]+:[A-Z0-9*]+/[A-Z0-9*]+")) {
            problems.add("ticker '" + ticker + "' is not EXCHANGE:BASE/QUOTE, e.g. BINANCE:XRP/ETH");
          }
          tickers.add(ticker);
        }
      }
      Timeframe timeframe = null;
      String tf = text(root, "timeframe", "timeframe");
      if (tf != null) {
        try {
          timeframe = Timeframe.parse(tf);
        } catch (IllegalArgumentException e) {
          problems.add("timeframe: " + e.getMessage());
        }
      }
      Map<String, IndicatorSpec> indicators = indicators(root.get("indicators"));
      List<RuleSpec> rules = rules(root.get("rules"), indicators.keySet(), timeframe);
      BigDecimal longThreshold = null;
      BigDecimal shortThreshold = null;
      JsonNode th = root.get("thresholds");
      if (th == null || !th.isObject()) {
        problems.add("thresholds must give a score for long, short or both, e.g. {long: 3}");
      } else {
        longThreshold = positive(th.get("long"), "thresholds.long", true);
        shortThreshold = positive(th.get("short"), "thresholds.short", true);
        th.fieldNames().forEachRemaining(k -> {
          if (!k.equals("long") && !k.equals("short")) {
            problems.add("thresholds: unknown key '" + k + "' (long, short)");
          }
        });
        if (longThreshold == null && shortThreshold == null && th.get("long") == null && th.get("short") == null) {
          problems.add("thresholds must give a score for long, short or both");
        }
      }
      Duration cooldown = Duration.ZERO;
      JsonNode cd = root.get("cooldown");
      if (cd != null) {
        try {
          cooldown = DurationConverter.parse(cd.asText());
        } catch (RuntimeException e) {
          problems.add("cooldown '" + cd.asText() + "' is not a duration (e.g. 5m, 90s)");
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidDetectorConfigException("detector config" + (id == null ? "" : " '" + id + "'"), problems);
      }
      String source;
      try {
        source = JSON.writeValueAsString(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      return new DetectorConfig(id, version, List.copyOf(tickers), timeframe, indicators, List.copyOf(rules),
          longThreshold, shortThreshold, cooldown, source);
    }

    private Map<String, IndicatorSpec> indicators(JsonNode node) {
      Map<String, IndicatorSpec> out = new LinkedHashMap<>();
      if (node == null) {
        return out;
      }
      if (!node.isObject()) {
        problems.add("indicators must map names to indicators, e.g. {ema_fast: {type: ema, period: 9}}");
        return out;
      }
      node.fields().forEachRemaining(e -> {
        String name = e.getKey();
        String where = "indicator '" + name + "'";
        if (!name.matches(NAME) || isField(name)) {
          problems.add(where + ": a name is lower case letters, digits and '_', and not a bar field");
          return;
        }
        JsonNode spec = e.getValue();
        IndicatorSpec.Type type = null;
        String typeText = text(spec, "type", where + " type");
        if (typeText != null) {
          try {
            type = IndicatorSpec.Type.valueOf(typeText.trim().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException x) {
            problems.add(where + ": type '" + typeText + "' is not one of sma, ema, rsi, atr, bollinger, vwap, "
                + "volume_average, highest, lowest");
          }
        }
        JsonNode p = spec.get("period");
        int period = 0;
        if (p == null || !p.canConvertToExactIntegral() || p.asInt() < 1 || p.asInt() > 10_000) {
          problems.add(where + ": period must be a whole number from 1 to 10000");
        } else {
          period = p.asInt();
        }
        PriceField field = type == null ? PriceField.CLOSE : IndicatorSpec.defaultField(type);
        if (spec.has("field")) {
          try {
            field = PriceField.parse(spec.get("field").asText());
          } catch (IllegalArgumentException x) {
            problems.add(where + ": " + x.getMessage());
          }
        }
        BigDecimal k = BigDecimal.valueOf(2);
        BollingerBand.Band band = BollingerBand.Band.MIDDLE;
        if (type == IndicatorSpec.Type.BOLLINGER) {
          if (spec.has("k")) {
            k = positive(spec.get("k"), where + " k", false);
          }
          String b = spec.has("band") ? spec.get("band").asText() : null;
          try {
            band = b == null ? band : BollingerBand.Band.valueOf(b.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException x) {
            problems.add(where + ": band '" + b + "' is not upper, middle or lower");
          }
        }
        if (type != null && period > 0) {
          out.put(name, new IndicatorSpec(type, period, field, k, band));
        }
      });
      return out;
    }

    private List<RuleSpec> rules(JsonNode node, Set<String> indicators, Timeframe timeframe) {
      List<RuleSpec> out = new ArrayList<>();
      if (node == null || !node.isArray() || node.isEmpty()) {
        problems.add("rules must list at least one rule");
        return out;
      }
      Set<String> ids = new HashSet<>();
      int i = 0;
      for (JsonNode r : node) {
        i++;
        String id = r.has("id") ? r.get("id").asText() : "rule " + i;
        String where = "rule '" + id + "'";
        if (r.has("id") && !id.matches("[A-Za-z0-9._-]{1,64}")) {
          problems.add(where + ": id must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (!ids.add(id)) {
          problems.add(where + ": two rules have this id");
        }
        r.fieldNames().forEachRemaining(k -> {
          if (!Set.of("id", "when", "weight", "direction", "description").contains(k)) {
            problems.add(where + ": unknown key '" + k + "' (id, when, weight, direction, description)");
          }
        });
        BigDecimal weight = positive(r.get("weight"), where + " weight", false);
        RuleSpec.Side side = RuleSpec.Side.BOTH;
        if (r.has("direction")) {
          try {
            side = RuleSpec.Side.valueOf(r.get("direction").asText().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException x) {
            problems.add(where + ": direction '" + r.get("direction").asText() + "' is not long, short or both");
          }
        }
        Condition condition = condition(r.get("when"), where, indicators, timeframe);
        if (condition != null && weight != null) {
          out.add(new RuleSpec(id, condition, weight, side));
        }
      }
      return out;
    }

    private Condition condition(JsonNode when, String where, Set<String> indicators, Timeframe timeframe) {
      if (when == null || !when.isObject() || when.size() != 1) {
        problems.add(where + ": 'when' must hold exactly one condition (" + String.join(", ",
            new java.util.TreeSet<>(CONDITIONS)) + ")");
        return null;
      }
      Map.Entry<String, JsonNode> c = when.fields().next();
      String kind = c.getKey();
      JsonNode args = c.getValue();
      String at = where + " " + kind;
      switch (kind) {
        case "greater_than", "less_than", "crosses_above", "crosses_below" -> {
          List<Operand> ops = operands(args, 2, at, indicators);
          return ops == null ? null : new Condition.Compare(Condition.Compare.Kind.valueOf(kind.toUpperCase(Locale.ROOT)),
              ops.get(0), ops.get(1));
        }
        case "within" -> {
          List<Operand> ops = operands(args, 3, at, indicators);
          return ops == null ? null : new Condition.Within(ops.get(0), ops.get(1), ops.get(2));
        }
        case "rising_closes", "falling_closes" -> {
          Integer n = count(args, at);
          return n == null ? null : new Condition.Consecutive(n, kind.startsWith("rising"));
        }
        case "breakout_high", "breakout_low" -> {
          Integer n = count(args, at);
          return n == null ? null : new Condition.Breakout(n, kind.endsWith("high"));
        }
        case "pattern" -> {
          String pattern = args == null ? "" : args.isObject() ? args.path("id").asText("") : args.asText("");
          Integer within = args != null && args.isObject() && args.has("within_bars")
              ? count(args.get("within_bars"), at + " within_bars") : Integer.valueOf(1);
          if (!pattern.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            problems.add(at + ": needs a pattern id, e.g. {pattern: spike-reversal} or "
                + "{pattern: {id: spike-reversal, within_bars: 3}}");
            return null;
          }
          return within == null || timeframe == null ? null
              : new Condition.PatternMatched(pattern, within, timeframe.millis());
        }
        case "volume_spike" -> {
          Integer n = args == null ? null : count(args.get("period"), at + " period");
          BigDecimal factor = args == null ? null : positive(args.get("factor"), at + " factor", false);
          return n == null || factor == null ? null : new Condition.VolumeSpike(n, factor);
        }
        default -> {
          problems.add(where + ": unknown condition '" + kind + "' (" + String.join(", ",
              new java.util.TreeSet<>(CONDITIONS)) + ")");
          return null;
        }
      }
    }

    private List<Operand> operands(JsonNode args, int n, String at, Set<String> indicators) {
      if (args == null || !args.isArray() || args.size() != n) {
        problems.add(at + ": needs a list of " + n + " operands (indicator names, bar fields or numbers)");
        return null;
      }
      List<Operand> out = new ArrayList<>();
      for (JsonNode a : args) {
        if (a.isNumber()) {
          out.add(Operand.literal(a.decimalValue()));
        } else if (isField(a.asText())) {
          out.add(Operand.field(PriceField.parse(a.asText())));
        } else if (indicators.contains(a.asText())) {
          out.add(Operand.indicator(a.asText()));
        } else {
          problems.add(at + ": '" + a.asText() + "' is neither an indicator of this detector ("
              + String.join(", ", indicators) + "), a bar field nor a number");
          return null;
        }
      }
      return out;
    }

    private Integer count(JsonNode n, String at) {
      if (n == null || !n.canConvertToExactIntegral() || n.asInt() < 1 || n.asInt() > 10_000) {
        problems.add(at + ": needs a whole number of bars from 1 to 10000");
        return null;
      }
      return n.asInt();
    }

    private BigDecimal positive(JsonNode n, String what, boolean optional) {
      if (n == null || n.isNull()) {
        if (!optional) {
          problems.add(what + " is missing");
        }
        return null;
      }
      if (!n.isNumber() || n.decimalValue().signum() <= 0) {
        problems.add(what + " must be a positive number, not " + n);
        return null;
      }
      try {
        dev.tickflow.schemas.Decimals.exact(n.decimalValue()); // it is written to signals as decimal(38,18)
      } catch (NumberFormatException e) {
        problems.add(what + ": " + e.getMessage());
        return null;
      }
      return n.decimalValue();
    }

    private String text(JsonNode node, String key, String what) {
      JsonNode n = node == null ? null : node.get(key);
      if (n == null || !n.isTextual() || n.asText().isBlank()) {
        problems.add(what + " is missing");
        return null;
      }
      return n.asText();
    }

    private static boolean isField(String name) {
      try {
        PriceField.parse(name);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }
}
