package dev.tickflow.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.relay.RelayMetrics.Channel;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The relay's HTTP endpoint: {@code /metrics} in Prometheus text format and {@code /health} as JSON (200 while the
 * relay's loop runs, 503 otherwise, with its endpoints and counters), for probes and dashboards.
 */
final class RelayHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HTTPServer server;

  RelayHttpServer(int port, Relay relay) throws IOException {
    this.server = HTTPServer.builder().port(port).registry(relay.metrics().registry()).registerHealthHandler(false)
        .defaultHandler(exchange -> {
          int status;
          String body;
          if (exchange.getRequestURI().getPath().equals("/health")) {
            ObjectNode health = health(relay);
            status = relay.running() ? 200 : 503;
            body = health.toPrettyString();
          } else {
            status = 404;
            body = "{\"error\":\"not found; try /metrics or /health\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        })
        .buildAndStart();
  }

  int port() {
    return server.getPort();
  }

  static ObjectNode health(Relay relay) {
    RelayMetrics m = relay.metrics();
    ObjectNode root = JSON.createObjectNode();
    root.put("status", relay.running() ? "UP" : "DOWN");
    ObjectNode endpoints = root.putObject("endpoints");
    endpoints.put("ingress", relay.ingressEndpoint());
    endpoints.put("fanout", relay.fanoutEndpoint());
    endpoints.put("requests", relay.requestEndpoint());
    endpoints.put("work_queue", relay.workQueueEndpoint());
    ObjectNode channels = root.putObject("channels");
    for (Channel c : Channel.values()) {
      ObjectNode channel = channels.putObject(c.name().toLowerCase(Locale.ROOT));
      channel.put("in", m.in(c));
      channel.put("out", m.out(c));
      channel.put("dropped", m.dropped(c));
    }
    root.put("subscribers", m.subscribers());
    root.put("topic_subscriptions", m.topicSubscriptions());
    root.put("work_queue_prefixes", m.workQueuePrefixes());
    ObjectNode requests = root.putObject("requests");
    for (String reply : new String[] {"PONG", "ACK", "ERROR"}) {
      requests.put(reply.toLowerCase(Locale.ROOT), m.requests(reply));
    }
    return root;
  }

  @Override
  public void close() {
    server.close();
  }
}
