package dev.tickflow.ingestors;

import dev.tickflow.schemas.event.RawTrade;

/** One record read from a venue or a file: a trade, the raw text that could not be read and why, or neither. */
public sealed interface ReadResult {

  /** A record that parsed into a raw trade. */
  record Parsed(RawTrade trade) implements ReadResult {}

  /** A record that did not; it goes to the dead-letter topic with {@code reason}. */
  record Malformed(long position, String text, String reason) implements ReadResult {}

  /** A well-formed line that is not a trade (a subscription acknowledgement, another event type). */
  record Ignored(long position, String what) implements ReadResult {}
}
