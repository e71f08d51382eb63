package dev.tickflow.bench;

import dev.tickflow.relay.RelayConfig;
import java.util.concurrent.CountDownLatch;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The relay's peer in the benchmarks: a bare JeroMQ XSUB/XPUB proxy ({@code ZMQ.proxy}) on loopback, with the
 * relay's high-water marks and nothing else (no sequence checks, history requests, metrics or CURVE). Multipart
 * messages pass through it unchanged, so tickflow's publishers and subscribers work against it as against the
 * relay.
 */
public final class BareProxy implements AutoCloseable {

  private final ZContext context;
  private final Thread thread;
  private final ZMQ.Socket control;
  private final String ingress;
  private final String fanout;

  private BareProxy(ZContext context, Thread thread, ZMQ.Socket control, String ingress, String fanout) {
    this.context = context;
    this.thread = thread;
    this.control = control;
    this.ingress = ingress;
    this.fanout = fanout;
  }

  /** Binds both sides to free loopback ports and starts proxying on its own thread. */
  public static BareProxy start(ZContext context) throws InterruptedException {
    CountDownLatch bound = new CountDownLatch(1);
    String[] endpoints = new String[2];
    String controlEndpoint = "inproc://bare-proxy-control-" + System.identityHashCode(new Object());
    Thread thread = new Thread(() -> {
      ZMQ.Socket xsub = context.createSocket(SocketType.XSUB);
      ZMQ.Socket xpub = context.createSocket(SocketType.XPUB);
      ZMQ.Socket ctl = context.createSocket(SocketType.PAIR);
      xsub.setRcvHWM(RelayConfig.DEFAULT_HIGH_WATER_MARK);
      xpub.setSndHWM(RelayConfig.DEFAULT_HIGH_WATER_MARK);
      xsub.bind("tcp://127.0.0.1:*");
      xpub.bind("tcp://127.0.0.1:*");
      ctl.bind(controlEndpoint);
      endpoints[0] = xsub.getLastEndpoint();
      endpoints[1] = xpub.getLastEndpoint();
      bound.countDown();
      ZMQ.proxy(xsub, xpub, null, ctl);
      context.destroySocket(ctl);
      context.destroySocket(xpub);
      context.destroySocket(xsub);
    }, "bare-proxy");
    thread.setDaemon(true);
    thread.start();
    bound.await();
    ZMQ.Socket control = context.createSocket(SocketType.PAIR);
    control.connect(controlEndpoint);
    return new BareProxy(context, thread, control, endpoints[0], endpoints[1]);
  }

  /** Where publishers connect (XSUB). */
  public String ingressEndpoint() {
    return ingress;
  }

  /** Where subscribers connect (XPUB). */
  public String fanoutEndpoint() {
    return fanout;
  }

  @Override
  public void close() throws InterruptedException {
    control.send(ZMQ.PROXY_TERMINATE);
    thread.join(5_000);
    context.destroySocket(control);
  }
}
