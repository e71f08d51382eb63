package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.RawTrade;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * The event time a raw record may move the watermark with: only that of a record the job will accept. A trade
 * moves it with its own time when {@link TradeNormalizer} would take it (a real ticker and id, positive exact
 * price and amount, a time no earlier than {@link TradeNormalizer#EARLIEST_TRADE} and no more than
 * {@link TradeNormalizer#MAX_AHEAD_OF_INGEST} after the record entered Kafka, by the broker's clock); a feed
 * heartbeat or gap with the time its ingestor stamped, if that is possible; anything else never
 * ({@link Long#MIN_VALUE}). One record stamped in the year 9999, or a malformed one stamped ahead of the trades
 * around it, would otherwise push the watermark past real trades, and all of them would be dead-lettered as
 * late; a test saw exactly that. The price is decoding each record here as well as in the normalizer.
 */
final class PlausibleEventTime implements SerializableTimestampAssigner<SourceRecord> {

  private static final long serialVersionUID = 1L;

  @Override
  public long extractTimestamp(SourceRecord record, long kafkaTimestamp) {
    if (record.value == null) {
      return Long.MIN_VALUE;
    }
    SpecificRecord event;
    try {
      event = EventTypes.decodeAny(record.value);
    } catch (PayloadException e) {
      return Long.MIN_VALUE;
    }
    if (event instanceof RawTrade raw) {
      try {
        return TradeNormalizer.check(raw, record).time().toEpochMilli();
      } catch (TradeNormalizer.InvalidTrade e) {
        return Long.MIN_VALUE;
      }
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
