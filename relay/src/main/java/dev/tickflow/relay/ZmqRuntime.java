package dev.tickflow.relay;

import org.zeromq.ZContext;

/**
 * The one ZeroMQ context of this JVM, shared by the relay, publishers and subscribers.
 *
 * <p>ZeroMQ advises one context per process, and with JeroMQ 0.6.0 it is also a matter of correctness: with the
 * relay, a publisher and a subscriber each in a context of its own in one JVM, about one connection in ten was
 * never established (the subscriber's subscription or the publisher's messages never reached the relay, and
 * reconnection did not recover it). With one shared context: none in hundreds of starts. RelayTest is the guard.
 */
public final class ZmqRuntime {

  private static final ZContext CONTEXT = create();

  private ZmqRuntime() {}

  public static ZContext context() {
    return CONTEXT;
  }

  private static ZContext create() {
    ZContext context = new ZContext(1);
    context.setLinger(0);
    Runtime.getRuntime().addShutdownHook(new Thread(context::close, "zmq-context-close"));
    return context;
  }
}
