package dev.tickflow.ingestors.binance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tickflow.ingestors.replay.SampleData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for Binance's public REST API. It serves the bundled real aggregate trades in Binance's JSON
 * shape and enforces Binance's rules for {@code /api/v3/aggTrades} (limit at most 1000, a startTime..endTime
 * window under an hour, fromId inclusive), so a client that breaks them fails here as it would there. Scripted
 * answers (429, 418, garbage) can be queued ahead of the normal ones.
 */
public final class BinanceRestServer implements AutoCloseable {

  record Scripted(int status, String retryAfter, String body) {}

  private record Row(long id, String price, String qty, long first, long last, long time, boolean buyerMaker,
      boolean bestMatch) {}

  private final HttpServer server;
  private final List<Row> rows = new ArrayList<>();
  private final Deque<Scripted> script = new ConcurrentLinkedDeque<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> ruleViolations = new CopyOnWriteArrayList<>();
  /** What Binance would report as the IP's used weight, or null for no header. */
  volatile String usedWeight;

  public BinanceRestServer() throws IOException {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(",");
        rows.add(new Row(Long.parseLong(c[0]), c[1], c[2], Long.parseLong(c[3]), Long.parseLong(c[4]),
            Long.parseLong(c[5]), Boolean.parseBoolean(c[6].toLowerCase()), Boolean.parseBoolean(c[7].toLowerCase())));
      }
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v3/exchangeInfo", ex -> answer(ex, () -> new String(
        getClass().getResourceAsStream("/binance/exchangeInfo.json").readAllBytes(), StandardCharsets.UTF_8)));
    server.createContext("/api/v3/aggTrades", ex -> answer(ex, () -> aggTrades(query(ex.getRequestURI()))));
    server.createContext("/api/v3/klines", ex -> answer(ex, () -> klines(query(ex.getRequestURI()))));
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void queue(Scripted answer) {
    script.add(answer);
  }

  private interface Body {
    String get() throws IOException;
  }

  private void answer(HttpExchange ex, Body normal) throws IOException {
    requests.add(ex.getRequestURI().toString());
    Scripted scripted = script.poll();
    int status = 200;
    String body;
    if (scripted != null) {
      status = scripted.status();
      body = scripted.body();
      if (scripted.retryAfter() != null) {
        ex.getResponseHeaders().add("Retry-After", scripted.retryAfter());
      }
    } else {
      try {
        body = normal.get();
      } catch (IllegalArgumentException rule) {
        ruleViolations.add(rule.getMessage());
        status = 400;
        body = "{\"code\":-1127,\"msg\":\"" + rule.getMessage() + "\"}";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (usedWeight != null) {
      ex.getResponseHeaders().add("X-MBX-USED-WEIGHT-1M", usedWeight);
    }
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private String aggTrades(Map<String, String> q) {
    if (!"XRPETH".equals(q.get("symbol"))) {
      throw new IllegalArgumentException("Invalid symbol.");
    }
    int limit = Integer.parseInt(q.getOrDefault("limit", "500"));
    if (limit > 1000) {
      throw new IllegalArgumentException("limit " + limit + " above 1000");
    }
    Long fromId = q.containsKey("fromId") ? Long.parseLong(q.get("fromId")) : null;
    Long start = q.containsKey("startTime") ? Long.parseLong(q.get("startTime")) : null;
    Long end = q.containsKey("endTime") ? Long.parseLong(q.get("endTime")) : null;
    if (start != null && end != null && end - start >= 3_600_000L) {
      throw new IllegalArgumentException("More than 1 hours between startTime and endTime.");
    }
    StringBuilder json = new StringBuilder("[");
    int n = 0;
    for (Row r : rows) {
      if ((fromId != null && r.id() < fromId) || (start != null && r.time() < start)
          || (end != null && r.time() > end)) {
        continue;
      }
      if (n == limit) {
        break;
      }
      json.append(n++ == 0 ? "" : ",").append("{\"a\":").append(r.id()).append(",\"p\":\"").append(r.price())
          .append("\",\"q\":\"").append(r.qty()).append("\",\"f\":").append(r.first()).append(",\"l\":")
          .append(r.last()).append(",\"T\":").append(r.time()).append(",\"m\":").append(r.buyerMaker())
          .append(",\"M\":").append(r.bestMatch()).append('}');
    }
    return json.append(']').toString();
  }

  /** Binance's klines: [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...], strings. */
  private String klines(Map<String, String> q) throws IOException {
    String file = switch (q.get("interval")) {
      case "1m" -> SampleData.KLINES_1M;
      case "5m" -> SampleData.KLINES_5M;
      default -> throw new IllegalArgumentException("Invalid interval.");
    };
    long interval = q.get("interval").equals("1m") ? 60_000 : 300_000;
    long start = Long.parseLong(q.getOrDefault("startTime", "0"));
    int limit = Integer.parseInt(q.getOrDefault("limit", "500"));
    com.fasterxml.jackson.databind.JsonNode rows = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree(SampleData.open(file));
    StringBuilder json = new StringBuilder("[");
    int n = 0;
    for (com.fasterxml.jackson.databind.JsonNode r : rows) {
      long open = r.get(0).asLong();
      if (open < start || n == limit) {
        continue;
      }
      json.append(n++ == 0 ? "" : ",").append('[').append(open);
      for (int i = 1; i <= 5; i++) {
        json.append(",\"").append(r.get(i).decimalValue().setScale(8).toPlainString()).append('"');
      }
      json.append(',').append(open + interval - 1).append(",\"0\",0,\"0\",\"0\",\"0\"]");
    }
    return json.append(']').toString();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
