package dev.tickflow.ingestors.replay;

import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;

/**
 * Sends raw trades the way every tickflow ingestor must: keyed by ticker (a ticker's trades stay in order in one
 * partition), the event time in the {@link RecordHeaders#EVENT_TIME} header, paced by event time at {@code speed}
 * times real time (0: as fast as possible). The first failed send stops the caller at its next trade instead of
 * letting it skip ahead.
 */
public final class PacedTradeProducer {

  private final MarketDataProducer out;
  private final double speed;
  private long firstEvent = Long.MIN_VALUE;
  private long startNanos;
  private long sent;
  private volatile boolean stopped;

  public PacedTradeProducer(Producer<String, byte[]> producer, String topic, double speed) {
    this.out = new MarketDataProducer(producer, topic);
    this.speed = speed;
  }

  /** Waits until the trade is due, then sends it. */
  public void send(RawTrade trade) throws IOException, InterruptedException {
    long eventTime = trade.getEventTime().toEpochMilli();
    if (firstEvent == Long.MIN_VALUE) {
      firstEvent = eventTime;
      startNanos = System.nanoTime();
    }
    pace(eventTime);
    out.trade(trade);
    sent++;
  }

  public void deadLetter(String deadLetterTopic, String key, DeadLetter letter) throws IOException {
    out.deadLetter(deadLetterTopic, key, letter);
  }

  /** Sends what is buffered and reports a failed send. */
  public void flush() throws IOException {
    out.flush();
  }

  /** Ends a pacing wait early; the caller's loop decides when to stop. */
  public void stop() {
    stopped = true;
  }

  public long sent() {
    return sent;
  }

  private void pace(long eventTime) throws InterruptedException {
    if (speed == 0 || eventTime <= firstEvent) {
      return;
    }
    long dueNanos = startNanos + (long) (TimeUnit.MILLISECONDS.toNanos(eventTime - firstEvent) / speed);
    for (long wait = dueNanos - System.nanoTime(); wait > 0 && !stopped; wait = dueNanos - System.nanoTime()) {
      LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
      if (Thread.interrupted()) {
        throw new InterruptedException("producing interrupted");
      }
    }
  }

  /** For logs. */
  static String describe(double speed) {
    return speed == 0 ? "full speed" : speed + "x real time";
  }

  /** The time of the first trade sent, or null. */
  Instant firstEventTime() {
    return firstEvent == Long.MIN_VALUE ? null : Instant.ofEpochMilli(firstEvent);
  }
}
