package dev.tickflow.relay;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The stateless market-data relay: an XSUB socket where publishers connect, an XPUB socket where subscribers
 * connect, and ZeroMQ's proxy between them. Subscriptions travel upstream, so publishers send only topics that
 * someone listens to. It keeps no state: restart it and peers reconnect by themselves.
 */
public final class Relay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

  private final ZContext context = new ZContext();
  private final String controlEndpoint = "inproc://relay-control-" + System.identityHashCode(this);
  private final String ingressEndpoint;
  private final String fanoutEndpoint;
  private final Thread proxyThread;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Relay(RelayConfig config) {
    // Sockets are created and bound here, then handed to the proxy thread; Thread.start() publishes them.
    ZMQ.Socket ingress = context.createSocket(SocketType.XSUB);
    ingress.setRcvHWM(config.highWaterMark());
    ingress.bind(config.ingressEndpoint());
    ZMQ.Socket fanout = context.createSocket(SocketType.XPUB);
    fanout.setSndHWM(config.highWaterMark());
    fanout.bind(config.fanoutEndpoint());
    ZMQ.Socket control = context.createSocket(SocketType.PAIR);
    control.bind(controlEndpoint);
    this.ingressEndpoint = ingress.getLastEndpoint();
    this.fanoutEndpoint = fanout.getLastEndpoint();
    this.proxyThread = new Thread(() -> {
      try {
        ZMQ.proxy(ingress, fanout, null, control);
      } finally {
        stopped.countDown();
      }
    }, "tickflow-relay");
    proxyThread.setDaemon(true);
  }

  /** Binds both endpoints and starts forwarding. */
  public static Relay start(RelayConfig config) {
    Relay relay = new Relay(config);
    relay.proxyThread.start();
    LOG.info("relay up: publishers connect to {}, subscribers to {}", relay.ingressEndpoint, relay.fanoutEndpoint);
    return relay;
  }

  /** The bound ingress endpoint, with the real port when port 0 was asked for. */
  public String ingressEndpoint() {
    return ingressEndpoint;
  }

  /** The bound fan-out endpoint, with the real port when port 0 was asked for. */
  public String fanoutEndpoint() {
    return fanoutEndpoint;
  }

  @Override
  public void close() {
    try (ZMQ.Socket stop = context.createSocket(SocketType.PAIR)) {
      stop.connect(controlEndpoint);
      stop.send(ZMQ.PROXY_TERMINATE);
      if (!stopped.await(5, TimeUnit.SECONDS)) {
        LOG.warn("relay proxy did not stop within 5 s; closing its sockets anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      context.close();
      LOG.info("relay stopped");
    }
  }
}
