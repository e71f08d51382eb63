package dev.tickflow.bench;

import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import dev.tickflow.relay.ZmqRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The relay's fan-out against its peer, a bare JeroMQ XSUB/XPUB proxy ({@code ZMQ.proxy}) on the same context,
 * with 1 and 10 subscribers: throughput (messages a publisher gets to every subscriber per second) and latency
 * (one message from publish to the last subscriber, as JMH's sample-time percentiles). The relay's own cost is
 * its request channel, work queue and counters in the same loop.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class RelayFanoutBenchmark {

  private static final int BATCH = 10_000;
  private static final String TOPIC = "BINANCE:XRP/ETH|ohlc:1m";

  @Param({"relay", "bare-proxy"})
  String router;

  @Param({"1", "10"})
  int subscribers;

  private final ZContext context = ZmqRuntime.context();
  private Relay relay;
  private BareProxy proxy;
  private ZMQ.Socket publisher;
  private final List<Thread> readers = new ArrayList<>();
  private final List<AtomicLong> received = new ArrayList<>();
  private volatile boolean stopping;
  private long sent;
  private byte[] topic;
  private byte[] payload;

  @Setup(Level.Trial)
  public void start() throws Exception {
    String ingress;
    String fanout;
    if (router.equals("relay")) {
      relay = Relay.start(RelayConfig.loopback(0, 0));
      ingress = relay.ingressEndpoint();
      fanout = relay.fanoutEndpoint();
    } else {
      proxy = BareProxy.start(context);
      ingress = proxy.ingressEndpoint();
      fanout = proxy.fanoutEndpoint();
    }
    CountDownLatch subscribed = new CountDownLatch(subscribers);
    for (int i = 0; i < subscribers; i++) {
      AtomicLong count = new AtomicLong();
      received.add(count);
      Thread reader = new Thread(() -> {
        ZMQ.Socket sub = context.createSocket(SocketType.SUB);
        sub.setRcvHWM(RelayConfig.DEFAULT_HIGH_WATER_MARK);
        sub.setReceiveTimeOut(100);
        sub.connect(fanout);
        sub.subscribe(TOPIC.getBytes(StandardCharsets.UTF_8));
        subscribed.countDown();
        while (!stopping) {
          byte[] t = sub.recv();
          if (t != null) {
            while (sub.hasReceiveMore()) {
              sub.recv();
            }
            count.incrementAndGet();
          }
        }
        context.destroySocket(sub);
      }, "subscriber-" + i);
      reader.start();
      readers.add(reader);
    }
    subscribed.await();
    publisher = context.createSocket(SocketType.PUB);
    publisher.setSndHWM(RelayConfig.DEFAULT_HIGH_WATER_MARK);
    publisher.connect(ingress);
    topic = TOPIC.getBytes(StandardCharsets.UTF_8);
    payload = new byte[200]; // about a candle's size
    // subscriptions reach the publisher asynchronously: publish until every subscriber has heard something
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (received.stream().anyMatch(c -> c.get() == 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("subscribers never received the warm-up messages");
      }
      publish();
      Thread.sleep(10);
    }
    Thread.sleep(200);
    sent = received.stream().mapToLong(AtomicLong::get).min().orElse(0);
    for (AtomicLong c : received) {
      c.set(sent);
    }
  }

  private void publish() {
    publisher.send(topic, ZMQ.SNDMORE);
    publisher.send(payload, 0);
  }

  /** Waits until every subscriber has all {@code sent} messages. */
  private void awaitDelivered() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (AtomicLong c : received) {
      while (c.get() < sent) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("messages lost: a subscriber has " + c.get() + " of " + sent);
        }
        Thread.onSpinWait();
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public void throughput() {
    for (int i = 0; i < BATCH; i++) {
      publish();
    }
    sent += BATCH;
    awaitDelivered();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public void latency() {
    publish();
    sent++;
    awaitDelivered();
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    stopping = true;
    for (Thread t : readers) {
      t.join(5_000);
    }
    context.destroySocket(publisher);
    if (relay != null) {
      relay.close();
    } else {
      proxy.close();
    }
  }
}
