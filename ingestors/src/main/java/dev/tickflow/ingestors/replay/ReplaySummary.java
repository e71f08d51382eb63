package dev.tickflow.ingestors.replay;

import java.time.Instant;

/**
 * What a replay did: trades produced, lines dead-lettered, trades outside the window, lines that were not
 * trades (e.g. subscription acknowledgements in a websocket recording), event-time span.
 */
public record ReplaySummary(long produced, long deadLettered, long outsideWindow, long ignored,
    Instant firstEventTime, Instant lastEventTime) {

  @Override
  public String toString() {
    return produced + " trades produced, " + deadLettered + " lines dead-lettered, " + outsideWindow
        + " outside the window, " + ignored + " not trades" + (firstEventTime == null ? "" : ", event time " + firstEventTime + " .. "
        + lastEventTime);
  }
}
