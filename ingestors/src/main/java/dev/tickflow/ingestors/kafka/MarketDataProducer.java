package dev.tickflow.ingestors.kafka;

import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.io.IOException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * How every ingestor writes to Kafka: each event to its {@link Topic}, keyed by ticker (so a ticker's trades stay
 * in order in one partition), with the event time in the {@link RecordHeaders#EVENT_TIME} header. Thread-safe, as
 * the Kafka producer is.
 *
 * <p>Nothing is dropped silently. The producer is idempotent with {@code acks=all} and retries on its own; a
 * full buffer blocks the caller (back-pressure reaches the websocket); a send that finally fails is remembered
 * and the next call throws, so the ingestor stops reading that stream instead of skipping ahead.
 */
public final class MarketDataProducer implements AutoCloseable {

  private final Producer<String, byte[]> producer;
  private final String rawTopic;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();

  public MarketDataProducer(Producer<String, byte[]> producer) {
    this(producer, Topic.MARKET_DATA_RAW.topicName());
  }

  /** {@code rawTopic} replaces {@code market_data.raw}, e.g. for an isolated test or audit topic. */
  public MarketDataProducer(Producer<String, byte[]> producer, String rawTopic) {
    this.producer = producer;
    this.rawTopic = rawTopic;
  }

  public Future<RecordMetadata> trade(RawTrade t) throws IOException {
    return send(rawTopic, tickerKey(t), EventTypes.codec(RawTrade.class).encode(t), t.getEventTime().toEpochMilli());
  }

  /** {@code EXCHANGE:BASE/QUOTE} of a raw trade, whose symbol is already the unified {@code BASE/QUOTE}. */
  public static String tickerKey(RawTrade t) {
    return t.getExchange() + ":" + t.getSymbol();
  }

  public Future<RecordMetadata> quote(Quote q) throws IOException {
    return send(Topic.MARKET_DATA_QUOTES.topicName(), Ticker.key(q.getExchange(), q.getBase(), q.getQuote()),
        EventTypes.codec(Quote.class).encode(q), q.getEventTime().toEpochMilli());
  }

  /**
   * A gap goes to {@code market_data.gaps} for people and alerts, and into the raw topic next to the trades of
   * its market (same key, same partition), where the market-data job reads it in order with them.
   */
  public Future<RecordMetadata> gap(FeedGap g) throws IOException {
    String key = Ticker.key(g.getExchange(), g.getBase(), g.getQuote());
    byte[] value = EventTypes.codec(FeedGap.class).encode(g);
    send(rawTopic, key, value, g.getEventTime().toEpochMilli());
    return send(Topic.MARKET_DATA_GAPS.topicName(), key, value, g.getEventTime().toEpochMilli());
  }

  /**
   * Heartbeats go into the raw topic next to the trades of their market: in order with them, and moving the
   * partition's watermark when the market is quiet.
   */
  public Future<RecordMetadata> heartbeat(FeedHeartbeat h) throws IOException {
    return send(rawTopic, Ticker.key(h.getExchange(), h.getBase(), h.getQuote()),
        EventTypes.codec(FeedHeartbeat.class).encode(h), h.getEventTime().toEpochMilli());
  }

  public Future<RecordMetadata> deadLetter(String key, DeadLetter d) throws IOException {
    return deadLetter(Topic.DEADLETTER.topicName(), key, d);
  }

  public Future<RecordMetadata> deadLetter(String topic, String key, DeadLetter d) throws IOException {
    return send(topic, key, EventTypes.codec(DeadLetter.class).encode(d), d.getEventTime().toEpochMilli());
  }

  public Future<RecordMetadata> fetched(HistoryFetched h) throws IOException {
    return send(Topic.HISTORY_FETCHED.topicName(), h.getRequestId(), EventTypes.codec(HistoryFetched.class).encode(h),
        h.getEventTime().toEpochMilli());
  }

  /** Sends what is buffered; throws if any send failed. */
  public void flush() throws IOException {
    producer.flush();
    failIfASendFailed();
  }

  /** The first send that failed for good, or null. */
  public Exception failure() {
    return failure.get();
  }

  /** Sends that failed for good. */
  public long errors() {
    return errors.get();
  }

  /** Records handed to the producer. */
  public long sent() {
    return sent.get();
  }

  private Future<RecordMetadata> send(String topic, String key, byte[] value, long eventTime) throws IOException {
    failIfASendFailed();
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
    record.headers().add(RecordHeaders.EVENT_TIME, RecordHeaders.eventTime(eventTime));
    try {
      Future<RecordMetadata> f = producer.send(record, (m, e) -> {
        if (e != null) {
          errors.incrementAndGet();
          failure.compareAndSet(null, e);
        }
      });
      sent.incrementAndGet();
      return f;
    } catch (RuntimeException e) { // e.g. the buffer stayed full for max.block.ms
      errors.incrementAndGet();
      failure.compareAndSet(null, e);
      throw new IOException("producing to " + topic + " failed: " + e.getMessage(), e);
    }
  }

  private void failIfASendFailed() throws IOException {
    Exception e = failure.get();
    if (e != null) {
      throw new IOException("producing to Kafka failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
