package dev.tickflow.relay.requests;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.HistoryRequest;
import java.util.regex.Pattern;

/**
 * What makes a history request one the relay may forward: ids a topic can carry, a real ticker, a data type the
 * pipeline produces and a non-empty range. The relay checks only the request itself; whether the venue has data
 * for the range is the ingestor's to find out.
 */
public final class HistoryRequestCheck {

  /** Ids end up in topics ({@code HISTORY_READY:<requestId>}): no spaces, no '|', not empty, not huge. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

  private HistoryRequestCheck() {}

  /** Why the request cannot be served, or null when it can. */
  public static String problem(HistoryRequest r) {
    if (!ID.matcher(r.getRequestId()).matches()) {
      return "requestId '" + r.getRequestId() + "' must be 1-128 letters, digits or . _ : @ -";
    }
    if (!ID.matcher(r.getClientId()).matches()) {
      return "clientId '" + r.getClientId() + "' must be 1-128 letters, digits or . _ : @ -";
    }
    try {
      Ticker.of(r.getExchange(), r.getBase(), r.getQuote());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String type = r.getDataType();
    if (!type.equals("trades")) {
      if (!type.startsWith("ohlc:")) {
        return "dataType '" + type + "' is not trades or ohlc:<timeframe>";
      }
      try {
        Timeframe.parse(type.substring("ohlc:".length()));
      } catch (IllegalArgumentException e) {
        return "dataType '" + type + "': " + e.getMessage();
      }
    }
    if (!r.getFromTime().isBefore(r.getToTime())) {
      return "fromTime " + r.getFromTime() + " must be before toTime " + r.getToTime();
    }
    return null;
  }
}
