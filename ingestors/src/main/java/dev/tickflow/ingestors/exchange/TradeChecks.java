package dev.tickflow.ingestors.exchange;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * What makes a venue record impossible, checked before it is produced: a price or amount that is not a positive
 * exact decimal, a time before crypto markets existed or in the future, a crossed book. Such records go to the
 * dead-letter topic with the reason returned here, never to the market-data topics.
 */
public final class TradeChecks {

  /** No venue traded before Bitcoin's genesis block. */
  static final Instant EARLIEST = Instant.parse("2009-01-03T00:00:00Z");
  /** Venue clocks drift; a day ahead is not drift. */
  static final Duration MAX_FUTURE = Duration.ofDays(1);

  private TradeChecks() {}

  /** Why the trade is impossible, or null if it is fine. */
  public static String problem(RawTrade t, Instant now) {
    String p = positive("price", t.getPrice());
    if (p != null) {
      return p;
    }
    String a = positive("amount", t.getAmount());
    if (a != null) {
      return a;
    }
    return time(t.getEventTime(), now);
  }

  /** Why the quote is impossible, or null. Quote prices are already exact decimals. */
  public static String problem(Quote q, Instant now) {
    if (q.getBidPrice().signum() <= 0 || q.getAskPrice().signum() <= 0) {
      return "bid " + Decimals.format(q.getBidPrice()) + " / ask " + Decimals.format(q.getAskPrice())
          + ": prices must be positive";
    }
    if (q.getBidAmount().signum() < 0 || q.getAskAmount().signum() < 0) {
      return "negative size at the top of the book";
    }
    if (q.getBidPrice().compareTo(q.getAskPrice()) > 0) {
      return "crossed book: bid " + Decimals.format(q.getBidPrice()) + " > ask " + Decimals.format(q.getAskPrice());
    }
    return time(q.getEventTime(), now);
  }

  private static String positive(String what, String text) {
    BigDecimal v;
    try {
      v = Decimals.parse(text);
    } catch (NumberFormatException e) {
      return what + ": " + e.getMessage();
    }
    return v.signum() > 0 ? null : what + " " + text + " is not positive";
  }

  private static String time(Instant t, Instant now) {
    if (t.isBefore(EARLIEST)) {
      return "time " + t + " is before any crypto market existed";
    }
    if (t.isAfter(now.plus(MAX_FUTURE))) {
      return "time " + t + " is more than a day in the future";
    }
    return null;
  }
}
