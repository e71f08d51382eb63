package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.Venues;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.schemas.Topic;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Everything {@code tickflow ingest} can be told, in one typed place. Settings are layered, later wins: the
 * defaults here, then a properties file ({@code --config}), then environment variables
 * ({@code TICKFLOW_INGEST_<KEY>}, e.g. {@code TICKFLOW_INGEST_SYMBOLS}; {@code TICKFLOW_KAFKA_BOOTSTRAP} also
 * sets the brokers), then command-line flags. Keys are the flag names without dashes ({@code rest-url}).
 *
 * @param restUrl null: the venue's public REST API
 * @param wsUrl null: the venue's public websocket
 * @param metricsPort port of /metrics and /health; 0 picks a free one, -1 turns the endpoint off
 * @param maxMarketsPerConnection 0: the venue's own limit
 * @param workQueue the relay's ingestor work-queue endpoint for history requests, or null for none
 * @param relayCurve CURVE keys for a work queue with CURVE on, or null
 * @param heartbeatInterval how often each market's {@code FeedHeartbeat} goes to Kafka
 */
public record IngestConfig(String exchange, List<String> symbols, boolean quotes, boolean trades, URI restUrl,
    URI wsUrl, String ingestorId, String bootstrapServers, String topic, int metricsPort, int maxMarketsPerConnection,
    Duration minBackoff, Duration maxBackoff, Duration idleTimeout, Duration maxBlock, String workQueue,
    CurveClientKeys relayCurve, boolean dryRun, Long limit, Duration heartbeatInterval) {

  /** The keys, with their defaults (null: no default). */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("exchange", "binance");
    d.put("symbols", null);
    d.put("quotes", "false");
    d.put("trades", "true");
    d.put("rest-url", null);
    d.put("ws-url", null);
    d.put("ingestor-id", null);
    d.put("bootstrap-servers", "localhost:9092");
    d.put("topic", Topic.MARKET_DATA_RAW.topicName());
    d.put("metrics-port", "9400");
    d.put("max-markets-per-connection", "0");
    d.put("min-backoff", "PT0.5S");
    d.put("max-backoff", "PT30S");
    d.put("idle-timeout", "PT60S");
    d.put("max-block", "PT120S");
    d.put("work-queue", null);
    d.put("relay-curve-server-key", null);
    d.put("relay-curve-keys", null);
    d.put("dry-run", "false");
    d.put("limit", null);
    d.put("heartbeat-interval", "PT5S");
    return java.util.Collections.unmodifiableMap(d);
  }

  public IngestConfig {
    if (!Venues.supports(exchange)) {
      throw new IllegalArgumentException("exchange '" + exchange + "' is not supported; supported: "
          + String.join(", ", Venues.SUPPORTED));
    }
    exchange = exchange.toLowerCase(Locale.ROOT);
    if (symbols == null || symbols.isEmpty()) {
      throw new IllegalArgumentException("name the markets to ingest with --symbols BASE/QUOTE[,BASE/QUOTE...]");
    }
    symbols = symbols.stream().map(s -> s.trim().toUpperCase(Locale.ROOT)).toList();
    for (String s : symbols) {
      if (!s.matches("[A-Z0-9]+/[A-Z0-9]+")) {
        throw new IllegalArgumentException("symbol '" + s + "' is not BASE/QUOTE, e.g. BTC/USDT");
      }
    }
    if (!quotes && !trades) {
      throw new IllegalArgumentException("nothing to ingest: --trades=false needs --quotes");
    }
    if (limit != null && limit <= 0) {
      throw new IllegalArgumentException("--limit must be positive, got " + limit);
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("--metrics-port must be a port, 0 (any free one) or -1 (off), got " + metricsPort);
    }
    if (maxMarketsPerConnection < 0) {
      throw new IllegalArgumentException("--max-markets-per-connection must be 0 (the venue's limit) or positive");
    }
    if (heartbeatInterval == null || heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
      throw new IllegalArgumentException("--heartbeat-interval must be positive, got " + heartbeatInterval);
    }
    if (ingestorId == null || ingestorId.isBlank()) {
      ingestorId = exchange + "@" + ProcessHandle.current().pid();
    }
  }

  /**
   * Resolves the layers into a config.
   *
   * @throws IllegalArgumentException saying which setting is wrong and why
   */
  public static IngestConfig resolve(Properties file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
    if (file != null) {
      for (String key : file.stringPropertyNames()) {
        if (!DEFAULTS.containsKey(key)) {
          throw new IllegalArgumentException("config file: unknown key '" + key + "'; known: " + DEFAULTS.keySet());
        }
        s.put(key, file.getProperty(key));
      }
    }
    if (env.containsKey("TICKFLOW_KAFKA_BOOTSTRAP")) {
      s.put("bootstrap-servers", env.get("TICKFLOW_KAFKA_BOOTSTRAP"));
    }
    for (String key : DEFAULTS.keySet()) {
      String v = env.get(envName(key));
      if (v != null) {
        s.put(key, v);
      }
    }
    flags.forEach((k, v) -> {
      if (DEFAULTS.containsKey(k)) {
        s.put(k, v);
      }
    });
    return new IngestConfig(s.get("exchange"), list(s.get("symbols")), bool(s, "quotes"), bool(s, "trades"),
        uri(s, "rest-url"), uri(s, "ws-url"), s.get("ingestor-id"), s.get("bootstrap-servers"), s.get("topic"),
        integer(s, "metrics-port"), integer(s, "max-markets-per-connection"), duration(s, "min-backoff"),
        duration(s, "max-backoff"), duration(s, "idle-timeout"), duration(s, "max-block"), blankToNull(s.get("work-queue")),
        CurveClientKeys.of(s.get("relay-curve-server-key"), s.get("relay-curve-keys"), "relay-curve-server-key",
            "relay-curve-keys"),
        bool(s, "dry-run"), s.get("limit") == null ? null : (long) integer(s, "limit"),
        duration(s, "heartbeat-interval"));
  }

  /** {@code rest-url} → {@code TICKFLOW_INGEST_REST_URL}. */
  public static String envName(String key) {
    return "TICKFLOW_INGEST_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static List<String> list(String v) {
    return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).filter(x -> !x.isBlank()).toList();
  }

  private static boolean bool(Map<String, String> s, String key) {
    String v = s.get(key).trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + ": '" + s.get(key) + "' is not true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static int integer(Map<String, String> s, String key) {
    try {
      return Integer.parseInt(s.get(key).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + s.get(key) + "' is not a whole number");
    }
  }

  private static URI uri(Map<String, String> s, String key) {
    String v = blankToNull(s.get(key));
    if (v == null) {
      return null;
    }
    URI u = URI.create(v);
    if (u.getScheme() == null || u.getHost() == null) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not an absolute URL");
    }
    return u;
  }

  /** ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 2m}. */
  static Duration duration(Map<String, String> s, String key) {
    String v = s.get(key).trim();
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not a duration (e.g. 500ms, 30s, 2m, PT30S)");
    }
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }
}
