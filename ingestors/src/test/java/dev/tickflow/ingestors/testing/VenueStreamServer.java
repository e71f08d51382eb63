package dev.tickflow.ingestors.testing;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** A local websocket stand-in for a venue: records connections and what clients sent (subscriptions). */
public final class VenueStreamServer extends WebSocketServer {

  public final List<String> connections = new CopyOnWriteArrayList<>();
  public final List<String> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);

  public VenueStreamServer() {
    super(new InetSocketAddress("127.0.0.1", 0));
    setReuseAddr(true);
  }

  public void startAndWait() throws InterruptedException {
    start();
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("websocket test server did not start");
    }
  }

  public URI baseUrl(String path) {
    return URI.create("ws://127.0.0.1:" + getPort() + path);
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    connections.add(handshake.getResourceDescriptor());
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

  @Override
  public void onMessage(WebSocket conn, String message) {
    received.add(message);
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {}

  @Override
  public void onStart() {
    started.countDown();
  }

  /** Drops every connection, as venues do on maintenance or after their maximum connection age. */
  public void dropAll() {
    getConnections().forEach(c -> c.close(1001, "going away"));
  }
}
