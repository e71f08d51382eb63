package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes the ingestors' top-of-book quotes and stamps each with where it was read in Kafka. A quote that does not
 * decode or cannot be a real book goes to the dead-letter side output with the reason.
 *
 * <p>Checks: ticker is {@code EXCHANGE:BASE/QUOTE}; both prices positive; both sizes not negative (an empty side
 * has size 0); event time not before the first crypto trade and not more than a day after its ingest time. A
 * crossed book (bid above ask) is kept: venues publish one for a moment during fast markets, and it is history.
 */
public final class QuoteNormalizer extends ProcessFunction<SourceRecord, Quote> {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/quotes";

  private transient Counter normalized;
  private transient Counter rejected;

  @Override
  public void open(OpenContext openContext) {
    normalized = getRuntimeContext().getMetricGroup().counter("quotesNormalized");
    rejected = getRuntimeContext().getMetricGroup().counter("quotesRejected");
  }

  @Override
  public void processElement(SourceRecord record, Context ctx, Collector<Quote> out) {
    try {
      Quote quote = EventTypes.codec(Quote.class).decode(record.value);
      String problem = problem(quote);
      if (problem == null) {
        problem = TradeNormalizer.beyondBrokerClock(quote.getEventTime(), record.timestamp);
      }
      if (problem != null) {
        reject(record, "INVALID_QUOTE", problem, ctx);
        return;
      }
      // one spelling per instrument, as the trades have: the lake and the relay topic key on it
      Ticker ticker = Ticker.of(quote.getExchange(), quote.getBase(), quote.getQuote());
      quote.setExchange(ticker.exchange());
      quote.setBase(ticker.base());
      quote.setQuote(ticker.quote());
      quote.setSource(new SourceRange(record.topic, record.partition, record.offset, record.offset));
      out.collect(quote);
      normalized.inc();
    } catch (PayloadException e) {
      reject(record, e.kind().name(), e.getMessage(), ctx);
    }
  }

  /** Why the quote cannot be a real top of book, or null. */
  static String problem(Quote q) {
    try {
      Ticker.of(q.getExchange(), q.getBase(), q.getQuote());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (q.getBidPrice().signum() <= 0 || q.getAskPrice().signum() <= 0) {
      return "bid " + plain(q.getBidPrice()) + " and ask " + plain(q.getAskPrice()) + " must both be positive";
    }
    if (q.getBidAmount().signum() < 0 || q.getAskAmount().signum() < 0) {
      return "bid size " + plain(q.getBidAmount()) + " and ask size " + plain(q.getAskAmount())
          + " cannot be negative";
    }
    if (q.getEventTime().isBefore(TradeNormalizer.EARLIEST_TRADE)) {
      return "event time " + q.getEventTime() + " is before " + TradeNormalizer.EARLIEST_TRADE;
    }
    if (q.getEventTime().isAfter(q.getIngestTime().plus(TradeNormalizer.MAX_AHEAD_OF_INGEST))) {
      return "event time " + q.getEventTime() + " is more than " + TradeNormalizer.MAX_AHEAD_OF_INGEST.toHours()
          + "h after its ingest time " + q.getIngestTime();
    }
    return null;
  }

  private void reject(SourceRecord record, String errorType, String reason, Context ctx) {
    rejected.inc();
    ctx.output(DeadLetters.TAG, DeadLetters.of(record, errorType, reason, STAGE));
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
