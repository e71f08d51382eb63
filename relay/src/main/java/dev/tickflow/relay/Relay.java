package dev.tickflow.relay;

import dev.tickflow.relay.RelayMetrics.Channel;
import dev.tickflow.relay.requests.ClientRequests;
import dev.tickflow.relay.security.ZapAllowList;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import zmq.Msg;
import zmq.SocketBase;

/**
 * The stateless relay, one thread over four channels:
 *
 * <ul>
 *   <li>market data: publishers connect to the XSUB ingress, subscribers to the XPUB fan-out; messages flow down,
 *       subscriptions flow up, so publishers send only topics someone listens to;
 *   <li>requests: clients send {@code PING} or a history request to the ROUTER; the relay checks it, replies
 *       {@code ACK}/{@code ERROR}/{@code PONG} to that client and forwards an accepted request to the work queue;
 *   <li>work queue: an XPUB where ingestors subscribe to their venue's prefix ({@code BINANCE:}); its
 *       subscriptions tell the relay which venues are served, so a request nobody can serve is refused at once.
 * </ul>
 *
 * It keeps no messages and no requests: restart it and peers reconnect by themselves. What it counts is in
 * {@link RelayMetrics}, served over HTTP when a metrics port is configured.
 */
public final class Relay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  /** Messages forwarded per socket before the loop looks at the others again. */
  private static final int BATCH = 1024;

  private final RelayConfig config;
  private final ZContext context = ZmqRuntime.context();
  private final String controlEndpoint = "inproc://relay-control-" + System.identityHashCode(this);
  private final String monitorEndpoint = "inproc://relay-fanout-monitor-" + System.identityHashCode(this);
  private final RelayMetrics metrics = new RelayMetrics();
  private final String zapDomain = "tickflow-relay-" + System.identityHashCode(this);
  private final Thread loop;
  private final CountDownLatch bound = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile String ingressEndpoint;
  private volatile String fanoutEndpoint;
  private volatile String requestEndpoint;
  private volatile String workQueueEndpoint;
  private volatile RuntimeException bindError;
  private RelayHttpServer http;

  private Relay(RelayConfig config) {
    this.config = config;
    // ZeroMQ sockets belong to one thread: the loop creates, binds, polls and closes them.
    this.loop = new Thread(this::run, "tickflow-relay");
    loop.setDaemon(true);
  }

  /** Binds every endpoint and starts forwarding. */
  public static Relay start(RelayConfig config) {
    Relay relay = new Relay(config);
    relay.loop.start();
    try {
      relay.bound.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the relay was binding", e);
    }
    if (relay.bindError != null) {
      throw new IllegalStateException("relay cannot bind " + config.ingressEndpoint() + ", " + config.fanoutEndpoint()
          + ", " + config.requestEndpoint() + ", " + config.workQueueEndpoint() + ": " + relay.bindError.getMessage(),
          relay.bindError);
    }
    if (config.metricsPort() >= 0) {
      try {
        relay.http = new RelayHttpServer(config.metricsPort(), relay);
      } catch (IOException e) {
        relay.close();
        throw new IllegalStateException("relay metrics cannot listen on port " + config.metricsPort() + ": " + e, e);
      }
    }
    LOG.info("relay up: publishers -> {}, subscribers -> {}, requests -> {}, work queue -> {}{}{}",
        relay.ingressEndpoint, relay.fanoutEndpoint, relay.requestEndpoint, relay.workQueueEndpoint,
        config.curve() == null ? "" : ", CURVE on (" + config.curve().allowedClients().size() + " client keys)",
        relay.http == null ? "" : ", metrics http://127.0.0.1:" + relay.http.port() + "/metrics");
    return relay;
  }

  private void run() {
    ZMQ.Socket ingress = context.createSocket(SocketType.XSUB);
    ZMQ.Socket fanout = context.createSocket(SocketType.XPUB);
    ZMQ.Socket requests = context.createSocket(SocketType.ROUTER);
    ZMQ.Socket work = context.createSocket(SocketType.XPUB);
    ZMQ.Socket control = context.createSocket(SocketType.PAIR);
    ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
    try {
      try {
        if (config.curve() != null) {
          ZapAllowList.register(zapDomain, config.curve().allowedClients());
          for (ZMQ.Socket s : List.of(ingress, fanout, requests, work)) {
            config.curve().applyTo(s, zapDomain);
          }
        }
        ingress.setRcvHWM(config.highWaterMark());
        ingress.bind(config.ingressEndpoint());
        fanout.setSndHWM(config.highWaterMark());
        fanout.monitor(monitorEndpoint, ZMQ.EVENT_ACCEPTED | ZMQ.EVENT_DISCONNECTED);
        monitor.connect(monitorEndpoint);
        fanout.bind(config.fanoutEndpoint());
        requests.setSndHWM(config.highWaterMark());
        requests.bind(config.requestEndpoint());
        work.setSndHWM(config.highWaterMark());
        work.setXpubNoDrop(true); // refuse, rather than silently lose, work nobody can take
        work.bind(config.workQueueEndpoint());
        control.bind(controlEndpoint);
        ingressEndpoint = ingress.getLastEndpoint();
        fanoutEndpoint = fanout.getLastEndpoint();
        requestEndpoint = requests.getLastEndpoint();
        workQueueEndpoint = work.getLastEndpoint();
      } catch (RuntimeException e) {
        bindError = e;
        return;
      } finally {
        bound.countDown();
      }
      serve(ingress, fanout, requests, work, control, monitor);
    } catch (RuntimeException e) {
      LOG.error("relay loop failed: {}", e.toString(), e);
    } finally {
      // Detach the monitor before the sockets go: a disconnect event sent to a closed monitor pipe can stall the
      // shared context's I/O thread, and with it every other socket of this JVM.
      fanout.monitor(null, 0);
      ZapAllowList.unregister(zapDomain);
      for (ZMQ.Socket s : List.of(ingress, fanout, work, requests, control, monitor)) {
        context.destroySocket(s);
      }
      stopped.countDown();
    }
  }

  private void serve(ZMQ.Socket ingress, ZMQ.Socket fanout, ZMQ.Socket requests, ZMQ.Socket work,
      ZMQ.Socket control, ZMQ.Socket monitor) {
    ZMQ.Poller poller = context.createPoller(6);
    int iIngress = poller.register(ingress, ZMQ.Poller.POLLIN);
    int iFanout = poller.register(fanout, ZMQ.Poller.POLLIN);
    int iRequests = poller.register(requests, ZMQ.Poller.POLLIN);
    int iWork = poller.register(work, ZMQ.Poller.POLLIN);
    int iControl = poller.register(control, ZMQ.Poller.POLLIN);
    int iMonitor = poller.register(monitor, ZMQ.Poller.POLLIN);
    Map<String, Integer> fanoutTopics = new HashMap<>();
    Map<String, Integer> workPrefixes = new HashMap<>();
    try {
      while (true) {
        if (poller.poll(-1) < 0) {
          return;
        }
        if (poller.pollin(iControl)) {
          return;
        }
        if (poller.pollin(iIngress)) {
          long n = forward(ingress.base(), fanout.base());
          metrics.received(Channel.INGRESS, n);
          metrics.sent(Channel.FANOUT, n);
        }
        if (poller.pollin(iFanout)) {
          // subscriptions travel upstream to the publishers; the relay only counts them
          track(fanout.base(), ingress.base(), fanoutTopics);
          metrics.topicSubscriptions(fanoutTopics.size());
        }
        if (poller.pollin(iWork)) {
          track(work.base(), null, workPrefixes);
          metrics.workQueuePrefixes(workPrefixes.size());
        }
        if (poller.pollin(iRequests)) {
          answer(requests, work, workPrefixes);
        }
        if (poller.pollin(iMonitor)) {
          ZMQ.Event event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT);
          if (event != null) {
            metrics.subscriberConnected(event.getEvent() == ZMQ.EVENT_ACCEPTED ? 1 : -1);
          }
        }
      }
    } finally {
      poller.close();
    }
  }

  /** Moves whole messages, frame by frame, without copying; returns how many messages moved. */
  private static long forward(SocketBase from, SocketBase to) {
    long messages = 0;
    while (messages < BATCH) {
      Msg frame = from.recv(ZMQ.DONTWAIT);
      if (frame == null) {
        break;
      }
      boolean more = frame.hasMore();
      to.send(frame, more ? ZMQ.SNDMORE : 0);
      if (!more) {
        messages++;
      }
    }
    return messages;
  }

  /**
   * Reads (un)subscription messages ({@code 0x01}/{@code 0x00} then the prefix) from an XPUB, keeps the live
   * prefixes, and passes them upstream when there is an upstream.
   */
  private static void track(SocketBase xpub, SocketBase upstream, Map<String, Integer> prefixes) {
    for (int i = 0; i < BATCH; i++) {
      Msg m = xpub.recv(ZMQ.DONTWAIT);
      if (m == null) {
        return;
      }
      byte[] data = m.data();
      if (data.length > 0 && (data[0] == 0 || data[0] == 1)) {
        String prefix = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        if (data[0] == 1) {
          prefixes.merge(prefix, 1, Integer::sum);
        } else {
          prefixes.computeIfPresent(prefix, (k, v) -> v > 1 ? v - 1 : null);
        }
      }
      if (upstream != null) {
        upstream.send(m, m.hasMore() ? ZMQ.SNDMORE : 0);
      }
    }
  }

  /** One request: envelope (identity, and the empty delimiter of a REQ client), then the body frames. */
  private void answer(ZMQ.Socket requests, ZMQ.Socket work, Map<String, Integer> workPrefixes) {
    for (int i = 0; i < BATCH; i++) {
      byte[] identity = requests.recv(ZMQ.DONTWAIT);
      if (identity == null) {
        return;
      }
      List<byte[]> frames = new ArrayList<>();
      while (requests.hasReceiveMore()) {
        frames.add(requests.recv());
      }
      boolean reqEnvelope = !frames.isEmpty() && frames.get(0).length == 0;
      List<byte[]> body = reqEnvelope ? frames.subList(1, frames.size()) : frames;
      metrics.received(Channel.REQUESTS, 1);
      ClientRequests.Outcome outcome = ClientRequests.handle(body.toArray(new byte[0][]),
          prefix -> workPrefixes.keySet().stream().anyMatch(prefix::startsWith));
      if (outcome.workTopic() != null) {
        boolean queued = work.send(outcome.workTopic().getBytes(StandardCharsets.UTF_8), ZMQ.SNDMORE | ZMQ.DONTWAIT)
            && work.send(outcome.work(), ZMQ.DONTWAIT);
        if (queued) {
          metrics.sent(Channel.WORK_QUEUE, 1);
        } else {
          // an acknowledged request must be on its way: a full queue is the client's error to hear about
          metrics.dropped(Channel.WORK_QUEUE, 1);
          outcome = new ClientRequests.Outcome(ClientRequests.ERROR, "the work queue for " + outcome.workTopic()
              + " is full (its ingestor is not keeping up); try again later", null, null);
        }
      }
      if (outcome.status().equals(ClientRequests.ERROR)) {
        LOG.info("request refused: {}", outcome.detail());
      }
      // counted before the reply leaves, so whoever reads the reply finds it counted
      metrics.sent(Channel.REQUESTS, 1);
      metrics.replied(outcome.status());
      boolean replied = requests.send(identity, ZMQ.SNDMORE | ZMQ.DONTWAIT)
          && (!reqEnvelope || requests.send(new byte[0], ZMQ.SNDMORE | ZMQ.DONTWAIT))
          && requests.send(outcome.status().getBytes(StandardCharsets.UTF_8), ZMQ.SNDMORE | ZMQ.DONTWAIT)
          && requests.send(outcome.detail().getBytes(StandardCharsets.UTF_8), ZMQ.DONTWAIT);
      if (!replied) {
        metrics.dropped(Channel.REQUESTS, 1); // the client left, or stopped reading its replies
      }
    }
  }

  public RelayMetrics metrics() {
    return metrics;
  }

  /** The bound ingress endpoint, with the real port when port 0 was asked for. */
  public String ingressEndpoint() {
    return ingressEndpoint;
  }

  /** The bound fan-out endpoint, with the real port when port 0 was asked for. */
  public String fanoutEndpoint() {
    return fanoutEndpoint;
  }

  /** Where clients send requests (ROUTER). */
  public String requestEndpoint() {
    return requestEndpoint;
  }

  /** Where ingestors take work (subscribe to their venue's prefix, e.g. {@code BINANCE:}). */
  public String workQueueEndpoint() {
    return workQueueEndpoint;
  }

  /** The metrics endpoint's port, or -1 when there is none. */
  public int metricsPort() {
    return http == null ? -1 : http.port();
  }

  /** True while the loop runs. */
  public boolean running() {
    return stopped.getCount() > 0 && bindError == null;
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    ZMQ.Socket stop = context.createSocket(SocketType.PAIR);
    try {
      stop.connect(controlEndpoint);
      stop.send(new byte[] {0});
      if (!stopped.await(5, TimeUnit.SECONDS)) {
        LOG.warn("relay loop did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      context.destroySocket(stop);
    }
    // Sockets of a shared context release their listeners asynchronously; a relay restarted on the same ports
    // (or a second tickflow up) must not find them taken, so close() returns once they are free.
    for (String endpoint : new String[] {ingressEndpoint, fanoutEndpoint, requestEndpoint, workQueueEndpoint}) {
      if (endpoint != null) {
        awaitReleased(endpoint);
      }
    }
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
