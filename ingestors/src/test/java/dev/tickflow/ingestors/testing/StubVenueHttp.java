package dev.tickflow.ingestors.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A local HTTP stand-in for a venue's REST API: each path answers JSON computed from the query. */
public final class StubVenueHttp implements AutoCloseable {

  private final HttpServer server;
  public final List<String> requests = new CopyOnWriteArrayList<>();

  public StubVenueHttp(Map<String, Function<Map<String, String>, String>> routes) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    routes.forEach((path, route) -> server.createContext(path, ex -> {
      requests.add(ex.getRequestURI().toString());
      int status = 200;
      String body;
      try {
        body = route.apply(query(ex.getRequestURI()));
      } catch (IllegalArgumentException e) {
        status = 400;
        body = "{\"message\":\"" + e.getMessage() + "\"}";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    }));
    server.start();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> q = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String kv : uri.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return q;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
