package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;

/** The event time inside a raw-trade payload, for records that came without the event-time header. */
enum RawTradeEventTime implements SourceRecordDeserializer.PayloadEventTime {
  INSTANCE;

  @Override
  public long of(byte[] payload) {
    return EventTypes.codec(RawTrade.class).decode(payload).getEventTime().toEpochMilli();
  }
}
