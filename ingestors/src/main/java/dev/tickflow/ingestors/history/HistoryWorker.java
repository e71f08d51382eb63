package dev.tickflow.ingestors.history;

import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.relay.security.CurveClient;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.HistoryRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes history requests for one venue from the relay's ingestor work queue (a ZeroMQ PUB socket; topic = the
 * exchange prefix, e.g. {@code BINANCE:}, then the request as an Avro single-object payload) and answers each with
 * a {@link HistoryFetcher}, one at a time on its own thread. A payload that is not a history request goes to the
 * dead-letter topic; the worker goes on.
 */
public final class HistoryWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryWorker.class);

  private final String endpoint;
  private final CurveClient curve;
  private final String prefix;
  private final HistoryFetcher fetcher;
  private final MarketDataProducer out;
  private final Thread thread;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean subscribed;
  private volatile boolean stopped;

  public HistoryWorker(String endpoint, Exchange venue, MarketDataProducer out, String ingestorId) {
    this(endpoint, null, venue, out, ingestorId);
  }

  /** @param curve keys for a relay with CURVE on; null for a plain one */
  public HistoryWorker(String endpoint, CurveClient curve, Exchange venue, MarketDataProducer out, String ingestorId) {
    this.endpoint = endpoint;
    this.curve = curve;
    this.prefix = venue.id() + ":";
    this.out = out;
    this.fetcher = new HistoryFetcher(venue, out, ingestorId);
    this.thread = new Thread(this::run, "history-" + venue.id());
  }

  public void start() {
    thread.start();
  }

  /** True once the work-queue socket is connected and subscribed. */
  public boolean subscribed() {
    return subscribed;
  }

  public long served() {
    return served.get();
  }

  public long rejected() {
    return rejected.get();
  }

  private void run() {
    try (RelaySubscriber in = new RelaySubscriber(endpoint, List.of(prefix), curve)) {
      subscribed = true;
      while (!stopped) {
        Optional<RelayMessage> m = in.receive(Duration.ofMillis(200));
        if (m.isPresent()) {
          handle(m.get());
        }
      }
    } catch (RuntimeException e) {
      LOG.error("history worker on {} stopped: {}", endpoint, e.toString());
    }
  }

  private void handle(RelayMessage m) {
    HistoryRequest request;
    try {
      request = EventTypes.codec(HistoryRequest.class).decode(m.payload());
    } catch (PayloadException e) {
      rejected.incrementAndGet();
      LOG.warn("work queue message on {} is not a history request: {}", m.topic(), e.getMessage());
      try {
        Instant now = Instant.now();
        out.deadLetter(m.topic(), DeadLetter.newBuilder().setPayload(ByteBuffer.wrap(m.payload()))
            .setReason(e.getMessage()).setErrorType(e.kind().name()).setStage("ingest-history")
            .setSourceTopic("zmq:" + endpoint).setSourcePartition(0).setSourceOffset(-1)
            .setEventTime(now).setIngestTime(now).build());
      } catch (Exception dl) {
        LOG.error("cannot dead-letter a bad work item: {}", dl.toString());
      }
      return;
    }
    try {
      fetcher.fetch(request);
      served.incrementAndGet();
    } catch (Exception e) {
      LOG.error("history request {} could not be answered: {}", request.getRequestId(), e.toString());
    }
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
