package dev.tickflow.relay;

import dev.tickflow.relay.security.CurveClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Subscribes to relay topics by prefix: {@code BINANCE:XRP/ETH|} for everything of one ticker,
 * {@code BINANCE:XRP/ETH|ohlc:1m} for its 1-minute candles, the empty prefix for all. Counts what it lost from
 * the publishers' sequence stamps ({@link #losses}). Not thread-safe, except for reading the losses.
 */
public final class RelaySubscriber implements AutoCloseable {

  private final ZContext context = ZmqRuntime.context();
  private final ZMQ.Socket socket;
  private final LossCounter losses = new LossCounter();

  public RelaySubscriber(String fanoutEndpoint, List<String> topicPrefixes) {
    this(fanoutEndpoint, topicPrefixes, null);
  }

  /** @param curve the keys for a relay with CURVE on; null for a plain one */
  public RelaySubscriber(String fanoutEndpoint, List<String> topicPrefixes, CurveClient curve) {
    socket = context.createSocket(SocketType.SUB);
    socket.setLinger(0);
    if (curve != null) {
      curve.applyTo(socket);
    }
    socket.connect(fanoutEndpoint);
    for (String prefix : topicPrefixes) {
      socket.subscribe(prefix.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The next message, or empty if none arrived within {@code timeout}. */
  public Optional<RelayMessage> receive(Duration timeout) {
    socket.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    byte[] topic = socket.recv();
    if (topic == null) {
      return Optional.empty();
    }
    byte[] payload = socket.hasReceiveMore() ? socket.recv() : new byte[0];
    byte[] stamp = socket.hasReceiveMore() ? socket.recv() : null;
    while (socket.hasReceiveMore()) {
      socket.recv(); // frames beyond the ones we know: drain them
    }
    String name = new String(topic, StandardCharsets.UTF_8);
    losses.record(name, SequenceStamp.parse(stamp));
    return Optional.of(new RelayMessage(name, payload));
  }

  /**
   * The messages as a blocking iterator: {@code hasNext()} waits for the next message and returns false only
   * when the calling thread is interrupted (or the socket is closed), so {@code for (RelayMessage m : ...)} reads
   * until the caller stops it.
   */
  public Iterable<RelayMessage> messages() {
    return () -> new Iterator<>() {
      private RelayMessage next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (Thread.currentThread().isInterrupted()) {
            return false;
          }
          try {
            next = receive(Duration.ofMillis(200)).orElse(null);
          } catch (org.zeromq.ZMQException | IllegalStateException closedOrInterrupted) {
            return false;
          }
        }
        return true;
      }

      @Override
      public RelayMessage next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the subscription was stopped");
        }
        RelayMessage m = next;
        next = null;
        return m;
      }
    };
  }

  /** What this subscriber lost so far (ZeroMQ drops when it falls behind), counted from sequence gaps. */
  public LossCounter losses() {
    return losses;
  }

  @Override
  public void close() {
    context.destroySocket(socket);
  }
}
