package dev.tickflow.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The HTTP endpoint every long-running tickflow process serves: {@code /metrics} in Prometheus text format and
 * {@code /health} as JSON, 200 when its {@code status} is {@code UP} and 503 otherwise, so an orchestrator's probe
 * can restart what is stuck. Anything else is a JSON 404.
 */
public final class MetricsHttpServer implements AutoCloseable {

  private final HTTPServer server;

  /** @param health the process's health now; asked on every request */
  public MetricsHttpServer(int port, PrometheusRegistry registry, Supplier<ObjectNode> health) throws IOException {
    this.server = HTTPServer.builder().port(port).registry(registry).registerHealthHandler(false)
        .defaultHandler(exchange -> {
          int status;
          String body;
          if (exchange.getRequestURI().getPath().equals("/health")) {
            ObjectNode now = health.get();
            status = now.path("status").asText().equals("UP") ? 200 : 503;
            body = now.toPrettyString();
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

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
