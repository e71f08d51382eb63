package dev.tickflow.ingestors;

import java.time.Instant;

/**
 * One way trades are written down, line by line: a venue's CSV export or its raw websocket messages. Formats
 * keep the venue's text verbatim and leave validation of numbers to the market-data job.
 */
public interface TradeFormat {

  /** The name users give with {@code --format}, e.g. {@code binance-aggtrades-csv}. */
  String name();

  /** True for a line that carries no record (a header). */
  default boolean isHeader(String line) {
    return false;
  }

  /** Reads one line; {@code position} (the 1-based line number) is carried into dead letters. */
  ReadResult read(String line, long position, Instant ingestTime);
}
