package dev.tickflow.relay;

import dev.tickflow.relay.security.CurveClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Publishes to the relay's ingress. Never blocks: when the relay is down or a peer is slow, ZeroMQ drops the
 * message and {@link #publish} returns false (callers count it), so market-data processing never waits. Every
 * message carries a {@link SequenceStamp} (this publisher's stream id and a per-topic number) as its third frame,
 * so subscribers can count what they lost anywhere on the way.
 * Not thread-safe: one publisher per thread, as with any ZeroMQ socket.
 */
public final class RelayPublisher implements AutoCloseable {

  private final ZContext context = ZmqRuntime.context();
  private final ZMQ.Socket socket;
  private final long stream = new SecureRandom().nextLong();
  private final Map<String, long[]> sequences = new HashMap<>();

  public RelayPublisher(String ingressEndpoint, int highWaterMark) {
    this(ingressEndpoint, highWaterMark, null);
  }

  /** @param curve the keys for a relay with CURVE on; null for a plain one */
  public RelayPublisher(String ingressEndpoint, int highWaterMark, CurveClient curve) {
    socket = context.createSocket(SocketType.PUB);
    socket.setSndHWM(highWaterMark);
    socket.setLinger(0);
    if (curve != null) {
      curve.applyTo(socket);
    }
    socket.connect(ingressEndpoint);
  }

  /** Sends one message; false if it was dropped. */
  public boolean publish(String topic, byte[] payload) {
    // numbered before sending: a message dropped here is a gap the subscribers see, as it should be
    long sequence = ++sequences.computeIfAbsent(topic, t -> new long[1])[0];
    return socket.send(topic.getBytes(StandardCharsets.UTF_8), ZMQ.SNDMORE | ZMQ.DONTWAIT)
        && socket.send(payload, ZMQ.SNDMORE | ZMQ.DONTWAIT)
        && socket.send(new SequenceStamp(stream, sequence).toFrame(), ZMQ.DONTWAIT);
  }

  /** This publisher's stream id, as stamped on its messages. */
  public long stream() {
    return stream;
  }

  @Override
  public void close() {
    context.destroySocket(socket);
  }
}
