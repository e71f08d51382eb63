package dev.tickflow.ingestors.binance;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** A local stand-in for Binance's websocket: records which streams each connection asked for; the test sends. */
public final class BinanceStreamServer extends WebSocketServer {

  public final List<String> connections = new CopyOnWriteArrayList<>();
  /** When set, pings go unanswered: a connection that is open but dead, as a half-open TCP link looks. */
  volatile boolean ignorePings;
  private final CountDownLatch started = new CountDownLatch(1);

  public BinanceStreamServer() {
    super(new InetSocketAddress("127.0.0.1", 0));
    setReuseAddr(true);
  }

  public void startAndWait() throws InterruptedException {
    start();
    if (!started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("websocket test server did not start");
    }
  }

  public URI baseUrl() {
    return URI.create("ws://127.0.0.1:" + getPort());
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    connections.add(handshake.getResourceDescriptor());
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

  @Override
  public void onMessage(WebSocket conn, String message) {}

  @Override
  public void onError(WebSocket conn, Exception ex) {}

  @Override
  public void onWebsocketPing(WebSocket conn, org.java_websocket.framing.Framedata f) {
    if (!ignorePings) {
      super.onWebsocketPing(conn, f);
    }
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  /** Drops every connection, as Binance does after 24 hours. */
  void dropAll() {
    getConnections().forEach(c -> c.close(1001, "going away"));
  }
}
