package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.feedhealth.FeedSignal;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw trades and turns them into validated {@link Trade}s with exact decimals. Anything that does not
 * decode or cannot be a real trade goes to the dead-letter side output with the reason; the job goes on. The
 * heartbeats and gaps ingestors write in line with the trades go to the {@link FeedSignal#TAG} side output, and
 * the gaps also to {@link #GAPS}.
 *
 * <p>Checks: payload decodes; ticker is {@code EXCHANGE:BASE/QUOTE}; trade id present; price and amount are
 * positive decimals that fit decimal(38,18) without rounding; event time is after Bitcoin's genesis block and
 * not more than a day after the ingestor saw it (no wall clock here: replays must give the same answer).
 */
public final class TradeNormalizer extends ProcessFunction<SourceRecord, Trade> {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/normalize";
  /** No crypto trade predates the Bitcoin genesis block. */
  static final Instant EARLIEST_TRADE = Instant.parse("2009-01-03T18:15:05Z");
  static final Duration MAX_AHEAD_OF_INGEST = Duration.ofDays(1);

  /** The gaps ingestors reported in line with the trades, stamped with where they were read: for the lake. */
  public static final OutputTag<FeedGap> GAPS = new OutputTag<>("feed-gaps", FlinkTypes.of(FeedGap.class));

  private transient Counter normalized;
  private transient Counter rejected;

  @Override
  public void open(OpenContext openContext) {
    normalized = getRuntimeContext().getMetricGroup().counter("tradesNormalized");
    rejected = getRuntimeContext().getMetricGroup().counter("tradesRejected");
  }

  @Override
  public void processElement(SourceRecord record, Context ctx, Collector<Trade> out) {
    Outcome outcome = record.decoded() instanceof Outcome known ? known : Outcome.of(record);
    Object event = outcome.event();
    if (event instanceof Trade trade) {
      out.collect(trade);
      normalized.inc();
    } else if (event instanceof FeedHeartbeat heartbeat) {
      ctx.output(FeedSignal.TAG, FeedSignal.of(heartbeat));
    } else if (event instanceof FeedGap gap) {
      ctx.output(FeedSignal.TAG, FeedSignal.of(gap));
      gap.setSource(new SourceRange(record.topic, record.partition, record.offset, record.offset));
      ctx.output(GAPS, gap);
    } else {
      reject(record, outcome.errorType(), outcome.reason(), ctx);
    }
  }

  /**
   * What a raw record is to the job, decided once: a validated {@link Trade}, a {@link FeedHeartbeat} or
   * {@link FeedGap} to pass on, or a reject ({@code event} null) with its error type and reason. The source's
   * timestamp assigner ({@link PlausibleEventTime}) needs the same answer to place watermarks, and keeps it on the
   * record for the normalizer chained after it.
   */
  record Outcome(Object event, String errorType, String reason) {

    static Outcome of(SourceRecord record) {
      SpecificRecord event;
      try {
        event = EventTypes.decodeAny(record.value);
      } catch (PayloadException e) {
        return rejected(e.kind().name(), e.getMessage());
      }
      if (event instanceof FeedHeartbeat || event instanceof FeedGap) {
        return new Outcome(event, null, null);
      }
      if (!(event instanceof RawTrade raw)) {
        return rejected("UNEXPECTED_TYPE", event.getSchema().getName() + " does not belong on the raw topic");
      }
      try {
        return new Outcome(normalize(raw, record), null, null);
      } catch (InvalidTrade e) {
        return rejected(e.errorType, e.getMessage());
      }
    }

    static Outcome rejected(String errorType, String reason) {
      return new Outcome(null, errorType, reason);
    }
  }

  private void reject(SourceRecord record, String errorType, String reason, Context ctx) {
    rejected.inc();
    ctx.output(DeadLetters.TAG, DeadLetters.of(record, errorType, reason, STAGE));
  }

  static Trade normalize(RawTrade raw, SourceRecord record) {
    Accepted t = check(raw, record);
    return Trade.newBuilder()
        .setExchange(t.ticker().exchange())
        .setBase(t.ticker().base())
        .setQuote(t.ticker().quote())
        .setTradeId(raw.getTradeId().trim())
        .setPrice(t.price())
        .setAmount(t.amount())
        .setSide(raw.getSide())
        .setEventTime(t.time())
        .setIngestTime(raw.getIngestTime())
        .setSource(new SourceRange(record.topic, record.partition, record.offset, record.offset))
        .setHistoryRequestId(raw.getHistoryRequestId())
        .build();
  }

  /** What a raw trade says, once it passed every check. */
  record Accepted(Ticker ticker, BigDecimal price, BigDecimal amount, Instant time) {}

  /** Every check a raw trade must pass, without building the trade ({@link PlausibleEventTime} asks too). */
  static Accepted check(RawTrade raw, SourceRecord record) {
    Ticker ticker = ticker(raw);
    if (raw.getTradeId() == null || raw.getTradeId().isBlank()) {
      throw new InvalidTrade("INVALID_TRADE_ID", "trade id is missing");
    }
    BigDecimal price = positive("INVALID_PRICE", "price", raw.getPrice());
    BigDecimal amount = positive("INVALID_AMOUNT", "amount", raw.getAmount());
    Instant time = raw.getEventTime();
    if (time.isBefore(EARLIEST_TRADE)) {
      throw new InvalidTrade("IMPOSSIBLE_TIME", "event time " + time + " is before " + EARLIEST_TRADE);
    }
    if (time.isAfter(raw.getIngestTime().plus(MAX_AHEAD_OF_INGEST))) {
      throw new InvalidTrade("IMPOSSIBLE_TIME", "event time " + time + " is more than "
          + MAX_AHEAD_OF_INGEST.toHours() + "h after its ingest time " + raw.getIngestTime());
    }
    String broker = beyondBrokerClock(time, record.timestamp);
    if (broker != null) {
      throw new InvalidTrade("IMPOSSIBLE_TIME", broker);
    }
    return new Accepted(ticker, price, amount, time);
  }

  /**
   * Why an event time cannot be, judged by when its record entered Kafka (the broker's clock, which a producer
   * cannot set, unlike the ingest time it writes), or null; also null when that time is unknown (0).
   */
  static String beyondBrokerClock(Instant time, long kafkaTimestamp) {
    if (kafkaTimestamp <= 0 || !time.isAfter(Instant.ofEpochMilli(kafkaTimestamp).plus(MAX_AHEAD_OF_INGEST))) {
      return null;
    }
    return "event time " + time + " is more than " + MAX_AHEAD_OF_INGEST.toHours()
        + "h after the record entered Kafka at " + Instant.ofEpochMilli(kafkaTimestamp);
  }

  private static Ticker ticker(RawTrade raw) {
    String symbol = raw.getSymbol();
    int slash = symbol == null ? -1 : symbol.indexOf('/');
    try {
      if (slash < 0) {
        throw new IllegalArgumentException("symbol '" + symbol + "' is not BASE/QUOTE");
      }
      return Ticker.of(raw.getExchange(), symbol.substring(0, slash), symbol.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidTrade("INVALID_TICKER", e.getMessage());
    }
  }

  private static BigDecimal positive(String errorType, String what, String text) {
    BigDecimal value;
    try {
      value = Decimals.parse(text);
    } catch (NumberFormatException e) {
      throw new InvalidTrade(errorType, what + ": " + e.getMessage());
    }
    if (value.signum() <= 0) {
      throw new InvalidTrade(errorType, what + " " + text + " is not positive");
    }
    return value;
  }

  /** A decoded trade that cannot be real. */
  static final class InvalidTrade extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String errorType;

    InvalidTrade(String errorType, String message) {
      super(message, null, false, false);
      this.errorType = errorType;
    }
  }
}
