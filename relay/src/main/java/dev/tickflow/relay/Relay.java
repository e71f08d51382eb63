package dev.tickflow.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
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

  private final ZContext context = ZmqRuntime.context();
  private final String controlEndpoint = "inproc://relay-control-" + System.identityHashCode(this);
  private final Thread proxyThread;
  private final CountDownLatch bound = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile String ingressEndpoint;
  private volatile String fanoutEndpoint;
  private volatile RuntimeException bindError;

  private Relay(RelayConfig config) {
    // ZeroMQ sockets belong to one thread: the proxy thread creates, binds, polls and closes them.
    this.proxyThread = new Thread(() -> {
      ZMQ.Socket ingress = context.createSocket(SocketType.XSUB);
      ZMQ.Socket fanout = context.createSocket(SocketType.XPUB);
      ZMQ.Socket control = context.createSocket(SocketType.PAIR);
      try {
        try {
          ingress.setRcvHWM(config.highWaterMark());
          ingress.bind(config.ingressEndpoint());
          fanout.setSndHWM(config.highWaterMark());
          fanout.bind(config.fanoutEndpoint());
          control.bind(controlEndpoint);
          ingressEndpoint = ingress.getLastEndpoint();
          fanoutEndpoint = fanout.getLastEndpoint();
        } catch (RuntimeException e) {
          bindError = e;
          return;
        } finally {
          bound.countDown();
        }
        ZMQ.proxy(ingress, fanout, null, control);
      } finally {
        context.destroySocket(control);
        context.destroySocket(fanout);
        context.destroySocket(ingress);
        stopped.countDown();
      }
    }, "tickflow-relay");
    proxyThread.setDaemon(true);
  }

  /** Binds both endpoints and starts forwarding. */
  public static Relay start(RelayConfig config) {
    Relay relay = new Relay(config);
    relay.proxyThread.start();
    try {
      relay.bound.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the relay was binding", e);
    }
    if (relay.bindError != null) {
      throw new IllegalStateException("relay cannot bind " + config.ingressEndpoint() + " / "
          + config.fanoutEndpoint() + ": " + relay.bindError.getMessage(), relay.bindError);
    }
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
    ZMQ.Socket stop = context.createSocket(SocketType.PAIR);
    try {
      stop.connect(controlEndpoint);
      stop.send(ZMQ.PROXY_TERMINATE);
      if (!stopped.await(5, TimeUnit.SECONDS)) {
        LOG.warn("relay proxy did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      context.destroySocket(stop);
    }
    // Sockets of a shared context release their listeners asynchronously; a relay restarted on the same ports
    // (or a second tickflow up) must not find them taken, so close() returns once they are free.
    awaitReleased(ingressEndpoint);
    awaitReleased(fanoutEndpoint);
    LOG.info("relay stopped");
  }

  private static void awaitReleased(String endpoint) {
    URI uri = URI.create(endpoint);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(uri.getHost(), uri.getPort()));
        return;
      } catch (IOException stillBound) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
    LOG.warn("relay endpoint {} still bound 5 s after close", endpoint);
  }
}
