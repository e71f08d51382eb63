package dev.tickflow.relay.requests;

import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.HistoryRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/**
 * The relay's request channel protocol, without sockets. A request is one frame: the text {@code PING}, or a
 * {@link HistoryRequest} as an Avro single-object payload. The reply is two frames: a status ({@code PONG},
 * {@code ACK} or {@code ERROR}) and a detail (the request id for {@code ACK}, the reason for {@code ERROR}).
 * An accepted history request goes to the ingestor work queue under its exchange's prefix ({@code BINANCE:}).
 * Nothing is remembered: the answer to a history request comes later on {@code HISTORY_READY:<requestId>}.
 */
public final class ClientRequests {

  public static final String PING = "PING";
  public static final String PONG = "PONG";
  public static final String ACK = "ACK";
  public static final String ERROR = "ERROR";

  private static final byte[] PING_BYTES = PING.getBytes(StandardCharsets.US_ASCII);

  private ClientRequests() {}

  /**
   * What to answer and what to forward.
   *
   * @param workTopic the work-queue topic to forward {@code work} under; null when nothing is forwarded
   */
  public record Outcome(String status, String detail, String workTopic, byte[] work) {
    public boolean accepted() {
      return ACK.equals(status);
    }
  }

  /**
   * @param venueServed whether an ingestor listens on the work queue for a prefix such as {@code BINANCE:}
   */
  public static Outcome handle(byte[][] frames, Predicate<String> venueServed) {
    if (frames.length != 1) {
      return error("a request is one frame (PING or a HistoryRequest), not " + frames.length);
    }
    byte[] body = frames[0];
    if (Arrays.equals(body, PING_BYTES)) {
      return new Outcome(PONG, "", null, null);
    }
    SpecificRecord event;
    try {
      event = EventTypes.decodeAny(body);
    } catch (PayloadException e) {
      return error(e.kind() + ": " + e.getMessage());
    }
    if (!(event instanceof HistoryRequest request)) {
      return error("a " + event.getSchema().getName() + " is not a request the relay takes (PING or HistoryRequest)");
    }
    String problem = HistoryRequestCheck.problem(request);
    if (problem != null) {
      return error(problem);
    }
    String topic = request.getExchange().trim().toUpperCase(java.util.Locale.ROOT) + ":";
    if (!venueServed.test(topic)) {
      return error("no ingestor for " + topic + " is connected to the work queue; start one with "
          + "tickflow ingest --exchange " + topic.substring(0, topic.length() - 1).toLowerCase(java.util.Locale.ROOT)
          + " --work-queue <this relay's work queue>");
    }
    return new Outcome(ACK, request.getRequestId(), topic, body);
  }

  private static Outcome error(String reason) {
    return new Outcome(ERROR, reason, null, null);
  }
}
