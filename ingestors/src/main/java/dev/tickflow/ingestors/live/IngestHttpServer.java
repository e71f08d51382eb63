package dev.tickflow.ingestors.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.VenueJson;
import dev.tickflow.relay.MetricsHttpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The ingestor's HTTP endpoint: {@code /metrics} in Prometheus text format, and {@code /health}, which says per
 * stream whether it is connected and how long ago it last heard from the venue. {@code /health} answers 200 when
 * every stream is connected and fresh and the producer has not failed, 503 otherwise (so an orchestrator's
 * probe restarts a stuck ingestor).
 */
public final class IngestHttpServer implements AutoCloseable {

  private final MetricsHttpServer server;

  public IngestHttpServer(int port, IngestMetrics metrics, Supplier<List<LiveFeed>> feeds,
      Supplier<Exception> producerFailure, Duration staleAfter) throws IOException {
    this.server = new MetricsHttpServer(port, metrics.registry(), () -> health(feeds.get(), producerFailure.get(),
        staleAfter));
  }

  public int port() {
    return server.port();
  }

  static ObjectNode health(List<LiveFeed> feeds, Exception producerFailure, Duration staleAfter) {
    ObjectNode root = VenueJson.MAPPER.createObjectNode();
    root.put("status", "DOWN");
    boolean up = producerFailure == null && !feeds.isEmpty();
    ArrayNode streams = root.putArray("streams");
    for (LiveFeed f : feeds) {
      LiveFeed.Status s = f.status();
      boolean fresh = s.lastMessageAgeMillis() >= 0 && s.lastMessageAgeMillis() <= staleAfter.toMillis();
      up &= s.connected() && fresh;
      ObjectNode n = streams.addObject();
      n.put("name", s.name());
      n.put("connected", s.connected());
      n.put("lastMessageAgeMillis", s.lastMessageAgeMillis());
      n.put("connects", s.connects());
      n.put("channels", s.channels().toString());
      ArrayNode symbols = n.putArray("symbols");
      s.symbols().forEach(symbols::add);
    }
    root.put("producer", producerFailure == null ? "ok" : "failed: " + producerFailure.getMessage());
    root.put("status", up ? "UP" : "DOWN");
    return root;
  }

  @Override
  public void close() {
    server.close();
  }
}
