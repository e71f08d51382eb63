package dev.tickflow.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.relay.RelayMetrics.Channel;
import java.io.IOException;
import java.util.Locale;

/**
 * The relay's HTTP endpoint: {@code /metrics} in Prometheus text format and {@code /health} as JSON (200 while the
 * relay's loop runs, 503 otherwise, with its endpoints and counters), for probes and dashboards.
 */
final class RelayHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MetricsHttpServer server;

  RelayHttpServer(int port, Relay relay) throws IOException {
    this.server = new MetricsHttpServer(port, relay.metrics().registry(), () -> health(relay));
  }

  int port() {
    return server.port();
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
