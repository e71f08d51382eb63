package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.Trade;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time a raw record may move the watermark with: only that of a record the job will accept. A trade
 * moves it with its own time when {@link TradeNormalizer} would take it (a real ticker and id, positive exact
 * price and amount, a time no earlier than {@link TradeNormalizer#EARLIEST_TRADE} and no more than
 * {@link TradeNormalizer#MAX_AHEAD_OF_INGEST} after the record entered Kafka, by the broker's clock); a feed
 * heartbeat or gap with the time its ingestor stamped, if that is possible; anything else never
 * ({@link Long#MIN_VALUE}). One record stamped in the year 9999, or a malformed one stamped ahead of the trades
 * around it, would otherwise push the watermark past real trades, and all of them would be dead-lettered as
 * late; a test saw exactly that. The record is decoded and checked once,
 * here: the normalizer chained after the source takes the outcome from the record.
 */
final class PlausibleEventTime implements SerializableTimestampAssigner<SourceRecord> {

  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(SourceRecord record, long kafkaTimestamp) {
    if (record.value == null) {
      return Long.MIN_VALUE;
    }
    TradeNormalizer.Outcome outcome = TradeNormalizer.Outcome.of(record);
    record.decoded(outcome); // the normalizer chained after the source takes it from here
    Object event = outcome.event();
    if (event instanceof Trade trade) {
      return trade.getEventTime().toEpochMilli();
    }
    boolean feedSignal = event instanceof FeedHeartbeat || event instanceof FeedGap;
    return feedSignal && possible(record.eventTime, record.timestamp) ? record.eventTime : Long.MIN_VALUE;
  }

  /** Whether a feed signal's time is one a trade could have, judged by when its record entered Kafka. */
  static boolean possible(long eventTime, long kafkaTimestamp) {
    return eventTime != Long.MIN_VALUE && eventTime >= TradeNormalizer.EARLIEST_TRADE.toEpochMilli()
        && TradeNormalizer.beyondBrokerClock(java.time.Instant.ofEpochMilli(eventTime), kafkaTimestamp) == null;
  }
}
