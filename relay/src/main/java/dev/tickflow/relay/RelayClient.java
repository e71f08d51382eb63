package dev.tickflow.relay;

import dev.tickflow.relay.requests.ClientRequests;
import dev.tickflow.relay.security.CurveClient;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * What an application needs from the relay: live topics (a callback on a thread of its own, or
 * {@link #open blocking reads}), {@link #ping}, and {@link #requestHistory}, which subscribes to
 * {@code HISTORY_READY:<requestId>} before it sends the request, so the answer cannot pass it by, and completes
 * when the notification arrives. Reconnection is ZeroMQ's: a restarted relay is found again by every socket.
 * Thread-safe: each call uses sockets of its own.
 */
public final class RelayClient {

  /** Topic prefix of history notifications; the request id follows. */
  public static final String HISTORY_READY = "HISTORY_READY:";

  /** Topic prefix of everything answered to one client (history notifications included); the client id follows. */
  public static final String RESPONSE = "RESPONSE:";

  private final String fanoutEndpoint;
  private final String requestEndpoint;
  private final CurveClient curve;

  /** @param curve keys for a relay with CURVE on; null for a plain relay */
  public RelayClient(String fanoutEndpoint, String requestEndpoint, CurveClient curve) {
    this.fanoutEndpoint = fanoutEndpoint;
    this.requestEndpoint = requestEndpoint;
    this.curve = curve;
  }

  /** A subscriber to read from in the caller's thread ({@link RelaySubscriber#receive}). */
  public RelaySubscriber open(List<String> topicPrefixes) {
    return new RelaySubscriber(fanoutEndpoint, topicPrefixes, curve);
  }

  /** A running subscription; {@link #close} stops it. */
  public interface Subscription extends AutoCloseable {
    /** Messages this subscription lost so far (it fell behind, or the relay restarted), from sequence gaps. */
    LossCounter losses();

    @Override
    void close();
  }

  /** Calls {@code onMessage} for every message of the prefixes, on a thread of the subscription's own. */
  public Subscription subscribe(List<String> topicPrefixes, Consumer<RelayMessage> onMessage) {
    RelaySubscriber subscriber = open(topicPrefixes);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread thread = new Thread(() -> {
      try {
        // a flag, not an interrupt: an interrupted ZeroMQ receive throws instead of returning
        while (!stop.get()) {
          subscriber.receive(Duration.ofMillis(100)).ifPresent(onMessage);
        }
      } finally {
        subscriber.close();
      }
    }, "relay-subscription-" + topicPrefixes);
    thread.setDaemon(true);
    thread.start();
    return new Subscription() {
      @Override
      public LossCounter losses() {
        return subscriber.losses();
      }

      @Override
      public void close() {
        stop.set(true);
        try {
          thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** Round trip to the relay's request channel; throws {@link TimeoutException} when nothing answers in time. */
  public Duration ping(Duration timeout) throws TimeoutException {
    long start = System.nanoTime();
    String[] reply = ask(ClientRequests.PING.getBytes(StandardCharsets.US_ASCII), timeout);
    if (!ClientRequests.PONG.equals(reply[0])) {
      throw new IllegalStateException("the relay answered " + reply[0] + " " + reply[1] + " to PING");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Sends a history request and completes with its notification. Fails with {@link RelayRequestException} when
   * the relay refuses it (the relay's reason), and with {@link TimeoutException} when no acknowledgement or no
   * notification comes within {@code timeout}.
   */
  public CompletableFuture<HistoryReadyNotification> requestHistory(HistoryRequest request, Duration timeout) {
    CompletableFuture<HistoryReadyNotification> answer = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      long deadline = System.nanoTime() + timeout.toNanos();
      try (RelaySubscriber ready = open(List.of(HISTORY_READY + request.getRequestId()))) {
        String[] reply = ask(EventTypes.codec(HistoryRequest.class).encode(request), timeout);
        if (!ClientRequests.ACK.equals(reply[0])) {
          answer.completeExceptionally(new RelayRequestException(reply[1]));
          return;
        }
        while (!answer.isDone()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            answer.completeExceptionally(new TimeoutException("no " + HISTORY_READY + request.getRequestId()
                + " within " + timeout));
            return;
          }
          Optional<RelayMessage> m = ready.receive(Duration.ofNanos(Math.min(left, Duration.ofMillis(200).toNanos())));
          if (m.isPresent()) {
            try {
              answer.complete(EventTypes.codec(HistoryReadyNotification.class).decode(m.get().payload()));
            } catch (PayloadException e) {
              answer.completeExceptionally(new RelayRequestException("the notification does not decode: "
                  + e.getMessage()));
            }
          }
        }
      } catch (TimeoutException | RuntimeException e) {
        answer.completeExceptionally(e);
      }
    }, "relay-history-" + request.getRequestId());
    thread.setDaemon(true);
    thread.start();
    return answer;
  }

  /** One request frame out, the two reply frames back. */
  private String[] ask(byte[] body, Duration timeout) throws TimeoutException {
    ZMQ.Socket dealer = ZmqRuntime.context().createSocket(SocketType.DEALER);
    try {
      dealer.setLinger(0);
      dealer.setReceiveTimeOut((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
      if (curve != null) {
        curve.applyTo(dealer);
      }
      dealer.connect(requestEndpoint);
      dealer.send(body, 0);
      byte[] status = dealer.recv();
      if (status == null) {
        throw new TimeoutException("the relay at " + requestEndpoint + " did not answer within " + timeout);
      }
      byte[] detail = dealer.hasReceiveMore() ? dealer.recv() : new byte[0];
      while (dealer.hasReceiveMore()) {
        dealer.recv();
      }
      return new String[] {new String(status, StandardCharsets.UTF_8), new String(detail, StandardCharsets.UTF_8)};
    } finally {
      ZmqRuntime.context().destroySocket(dealer);
    }
  }

  /** The relay refused a request, or its answer made no sense; the message says why. */
  public static final class RelayRequestException extends RuntimeException {
    public RelayRequestException(String reason) {
      super(reason);
    }
  }
}
