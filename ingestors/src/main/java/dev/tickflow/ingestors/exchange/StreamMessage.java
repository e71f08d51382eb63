package dev.tickflow.ingestors.exchange;

import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.util.List;

/** One websocket message of a venue, read: trades, quotes, something to ignore, or something broken. */
public sealed interface StreamMessage {

  /** Trades in the venue's order (one message may carry several, e.g. Kraken's). */
  record Trades(List<RawTrade> trades) implements StreamMessage {}

  /** Top-of-book updates. */
  record Quotes(List<Quote> quotes) implements StreamMessage {}

  /** Subscription acknowledgements, heartbeats, status messages: well-formed, nothing to hand on. */
  record Control(String what) implements StreamMessage {}

  /** The venue told us something went wrong (e.g. an unknown product); logged, not dead-lettered. */
  record VenueError(String reason) implements StreamMessage {}

  /** Unreadable or impossible: goes to the dead-letter topic with the raw text and this reason. */
  record Malformed(String reason) implements StreamMessage {}
}
