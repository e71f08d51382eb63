package dev.tickflow.jobs.marketdata;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The running state of one open bar (a Flink POJO kept in keyed state). Open and close are the first and last
 * trade in (event time, trade id) order, as exchanges define them, whatever order trades arrive in.
 */
public class BarAccumulator {

  public String exchange;
  public String base;
  public String quote;
  public long openTime;
  public BigDecimal open;
  public BigDecimal high;
  public BigDecimal low;
  public BigDecimal close;
  public BigDecimal volume;
  public BigDecimal quoteVolume;
  public long tradeCount;
  public long firstTime;
  public String firstId;
  public long lastTime;
  public String lastId;
  public long maxIngestTime;
  public String srcTopic;
  public int srcPartition;
  public long fromOffset;
  public long toOffset;
  /** 0 for a bar with trades; n for the n-th empty bar in a row after one. */
  public int flatRun;
  public BigDecimal takerBuyVolume;
  public BigDecimal takerBuyQuoteVolume;
  /** Whether the bar was emitted final; it then stays in state, for revisions, until the allowed lateness passed. */
  public boolean emitted;
  public int revision;
  public String revisionReason;
  /** Event time of the last provisional update; -1 before the first. */
  public long lastProvisional = -1;

  public BarAccumulator() {}

  /**
   * The bar after {@code prev} when nobody traded in it, as exchanges publish it: flat at the previous close,
   * no volume, no trades. Its provenance is the bar it was carried over from.
   */
  static BarAccumulator flatAfter(BarAccumulator prev, long openTime) {
    BarAccumulator b = new BarAccumulator();
    b.exchange = prev.exchange;
    b.base = prev.base;
    b.quote = prev.quote;
    b.openTime = openTime;
    b.open = b.high = b.low = b.close = prev.close;
    b.volume = BigDecimal.ZERO;
    b.quoteVolume = BigDecimal.ZERO;
    b.tradeCount = 0;
    b.firstTime = b.lastTime = openTime;
    b.firstId = b.lastId = prev.lastId;
    b.maxIngestTime = prev.maxIngestTime;
    b.srcTopic = prev.srcTopic;
    b.srcPartition = prev.srcPartition;
    b.fromOffset = prev.fromOffset;
    b.toOffset = prev.toOffset;
    b.flatRun = prev.flatRun + 1;
    b.takerBuyVolume = BigDecimal.ZERO;
    b.takerBuyQuoteVolume = BigDecimal.ZERO;
    return b;
  }

  static BarAccumulator first(Trade t, long openTime) {
    BarAccumulator b = new BarAccumulator();
    b.exchange = t.getExchange();
    b.base = t.getBase();
    b.quote = t.getQuote();
    b.openTime = openTime;
    b.open = t.getPrice();
    b.high = t.getPrice();
    b.low = t.getPrice();
    b.close = t.getPrice();
    b.volume = t.getAmount();
    b.quoteVolume = notional(t);
    b.tradeCount = 1;
    b.firstTime = b.lastTime = t.getEventTime().toEpochMilli();
    b.firstId = b.lastId = t.getTradeId();
    b.maxIngestTime = t.getIngestTime().toEpochMilli();
    b.srcTopic = t.getSource().getTopic();
    b.srcPartition = t.getSource().getPartition();
    b.fromOffset = t.getSource().getFromOffset();
    b.toOffset = t.getSource().getToOffset();
    b.takerBuyVolume = takerBought(t) ? t.getAmount() : BigDecimal.ZERO;
    b.takerBuyQuoteVolume = takerBought(t) ? b.quoteVolume : BigDecimal.ZERO;
    return b;
  }

  void add(Trade t) {
    long time = t.getEventTime().toEpochMilli();
    BigDecimal price = t.getPrice();
    if (before(time, t.getTradeId(), firstTime, firstId)) {
      open = price;
      firstTime = time;
      firstId = t.getTradeId();
    }
    if (!before(time, t.getTradeId(), lastTime, lastId)) {
      close = price;
      lastTime = time;
      lastId = t.getTradeId();
    }
    high = high.max(price);
    low = low.min(price);
    volume = volume.add(t.getAmount());
    BigDecimal notional = notional(t);
    quoteVolume = quoteVolume.add(notional);
    if (takerBought(t)) {
      takerBuyVolume = takerBuyVolume.add(t.getAmount());
      takerBuyQuoteVolume = takerBuyQuoteVolume.add(notional);
    }
    tradeCount++;
    maxIngestTime = Math.max(maxIngestTime, t.getIngestTime().toEpochMilli());
    fromOffset = Math.min(fromOffset, t.getSource().getFromOffset());
    toOffset = Math.max(toOffset, t.getSource().getToOffset());
  }

  /** The bar as its final candle (or its current revision). */
  Candle toCandle(Timeframe timeframe) {
    return candle(timeframe, true);
  }

  /** The bar so far, while it is still open. */
  Candle toProvisional(Timeframe timeframe) {
    return candle(timeframe, false);
  }

  private Candle candle(Timeframe timeframe, boolean isFinal) {
    return Candle.newBuilder()
        .setExchange(exchange)
        .setBase(base)
        .setQuote(quote)
        .setTimeframe(timeframe.label())
        .setOpenTime(Instant.ofEpochMilli(openTime))
        .setCloseTime(Instant.ofEpochMilli(openTime + timeframe.millis()))
        .setOpen(open)
        .setHigh(high)
        .setLow(low)
        .setClose(close)
        .setVolume(Decimals.exact(volume))
        .setQuoteVolume(scaled(quoteVolume))
        .setTradeCount(tradeCount)
        .setIsFinal(isFinal)
        .setRevision(isFinal ? revision : 0)
        .setRevisionReason(isFinal ? revisionReason : null)
        .setEventTime(Instant.ofEpochMilli(lastTime))
        .setIngestTime(Instant.ofEpochMilli(maxIngestTime))
        .setSource(new SourceRange(srcTopic, srcPartition, fromOffset, toOffset))
        .setTakerBuyVolume(Decimals.exact(takerBuyVolume))
        .setTakerBuyQuoteVolume(scaled(takerBuyQuoteVolume))
        .setVwap(vwap(quoteVolume, volume))
        .setFeedHealth(FeedHealth.UNKNOWN)
        .build();
  }

  static BigDecimal scaled(BigDecimal quoteAmount) {
    return quoteAmount.setScale(Decimals.SCALE, RoundingMode.HALF_EVEN);
  }

  /** Volume-weighted average price to 18 places, half-even; null without volume (an empty bar has none). */
  static BigDecimal vwap(BigDecimal quoteVolume, BigDecimal volume) {
    return volume.signum() == 0 ? null : quoteVolume.divide(volume, Decimals.SCALE, RoundingMode.HALF_EVEN);
  }

  /** Trades of unknown taker side count as neither bought nor sold. */
  private static boolean takerBought(Trade t) {
    return t.getSide() == Side.BUY;
  }

  /**
   * price x amount, exact (at 36 places: both are at 18). Only the bar's quote volume is ever brought to 18 places,
   * half-even, when a candle is made, and only when the venue's own precision needs more than 18 (8-place prices and
   * amounts, as on Binance, never do). Not stripped of its trailing zeros here: that is a division by ten per zero,
   * and it was a third of the aggregator's time; the sum is the same number either way.
   */
  private static BigDecimal notional(Trade t) {
    return t.getPrice().multiply(t.getAmount());
  }

  /** Exchange order: by event time, then by trade id (numerically where both are numbers). */
  static boolean before(long time, String id, long otherTime, String otherId) {
    if (time != otherTime) {
      return time < otherTime;
    }
    Long a = TickDeduplicator.numericId(id);
    Long b = TickDeduplicator.numericId(otherId);
    return a != null && b != null ? a < b : id.compareTo(otherId) < 0;
  }
}
