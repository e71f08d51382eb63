package dev.tickflow.jobs.marketdata;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One coarser bar built from finer final candles, or one finer candle as the rollup keeps it (a Flink POJO kept in
 * keyed state). Sub-bars are folded in open-time order: open is the earliest sub-bar's open and close the latest
 * sub-bar's close; sums are exact, so the result equals aggregating the trades directly.
 */
public class RollupAccumulator {

  public String exchange;
  public String base;
  public String quote;
  public long openTime;
  public long firstSubOpen;
  public long lastSubOpen;
  public BigDecimal open;
  public BigDecimal high;
  public BigDecimal low;
  public BigDecimal close;
  public BigDecimal volume;
  public BigDecimal quoteVolume;
  public BigDecimal takerBuyVolume;
  public BigDecimal takerBuyQuoteVolume;
  public long tradeCount;
  public long eventTime;
  public long ingestTime;
  public String srcTopic;
  public int srcPartition;
  public long fromOffset;
  public long toOffset;
  /** Whether any sub-bar had trades; until one has, the price fields are the empty sub-bars' carried close. */
  public boolean traded;
  public FeedHealth feedHealth;

  public RollupAccumulator() {}

  /** One finer candle, as the start of the coarser bar opening at {@code openTime}. */
  static RollupAccumulator of(Candle c, long openTime) {
    RollupAccumulator r = new RollupAccumulator();
    r.exchange = c.getExchange();
    r.base = c.getBase();
    r.quote = c.getQuote();
    r.openTime = openTime;
    r.firstSubOpen = r.lastSubOpen = c.getOpenTime().toEpochMilli();
    r.open = c.getOpen();
    r.high = c.getHigh();
    r.low = c.getLow();
    r.close = c.getClose();
    r.volume = c.getVolume();
    r.quoteVolume = c.getQuoteVolume();
    r.takerBuyVolume = orZero(c.getTakerBuyVolume());
    r.takerBuyQuoteVolume = orZero(c.getTakerBuyQuoteVolume());
    r.tradeCount = c.getTradeCount();
    r.eventTime = c.getEventTime().toEpochMilli();
    r.ingestTime = c.getIngestTime().toEpochMilli();
    r.srcTopic = c.getSource().getTopic();
    r.srcPartition = c.getSource().getPartition();
    r.fromOffset = c.getSource().getFromOffset();
    r.toOffset = c.getSource().getToOffset();
    r.traded = c.getTradeCount() > 0;
    r.feedHealth = c.getFeedHealth();
    return r;
  }

  /** A copy that starts the coarser bar opening at {@code openTime}. */
  RollupAccumulator startOf(long coarseOpen) {
    RollupAccumulator r = new RollupAccumulator();
    r.exchange = exchange;
    r.base = base;
    r.quote = quote;
    r.copyFrom(this);
    r.openTime = coarseOpen;
    return r;
  }

  /**
   * Adds the next sub-bar (later open time than every one added so far). Empty (flat) sub-bars count only while
   * the bar has no trades at all: once one sub-bar has trades, the coarser bar is what its trades make it, as if
   * aggregated from them (a 5m kline whose first minute is empty opens at its first trade, not at the
   * carried-over close). Feed health is the worst of the sub-bars', empty or not.
   */
  void add(RollupAccumulator sub) {
    feedHealth = worse(feedHealth, sub.feedHealth);
    if (sub.traded && !traded) {
      FeedHealth health = feedHealth;
      copyFrom(sub);
      feedHealth = health;
      return;
    }
    if (!sub.traded && traded) {
      return;
    }
    lastSubOpen = sub.lastSubOpen;
    close = sub.close;
    high = high.max(sub.high);
    low = low.min(sub.low);
    volume = volume.add(sub.volume);
    quoteVolume = quoteVolume.add(sub.quoteVolume);
    takerBuyVolume = takerBuyVolume.add(sub.takerBuyVolume);
    takerBuyQuoteVolume = takerBuyQuoteVolume.add(sub.takerBuyQuoteVolume);
    tradeCount += sub.tradeCount;
    eventTime = Math.max(eventTime, sub.eventTime);
    ingestTime = Math.max(ingestTime, sub.ingestTime);
    fromOffset = Math.min(fromOffset, sub.fromOffset);
    toOffset = Math.max(toOffset, sub.toOffset);
  }

  /** DEGRADED beats UNKNOWN beats HEALTHY: a bar is only as healthy as its worst part. */
  static FeedHealth worse(FeedHealth a, FeedHealth b) {
    if (a == FeedHealth.DEGRADED || b == FeedHealth.DEGRADED) {
      return FeedHealth.DEGRADED;
    }
    return a == FeedHealth.UNKNOWN || b == FeedHealth.UNKNOWN ? FeedHealth.UNKNOWN : FeedHealth.HEALTHY;
  }

  private static BigDecimal orZero(BigDecimal value) {
    return value == null ? BigDecimal.ZERO : value;
  }

  private void copyFrom(RollupAccumulator o) {
    firstSubOpen = o.firstSubOpen;
    lastSubOpen = o.lastSubOpen;
    open = o.open;
    high = o.high;
    low = o.low;
    close = o.close;
    volume = o.volume;
    quoteVolume = o.quoteVolume;
    takerBuyVolume = o.takerBuyVolume;
    takerBuyQuoteVolume = o.takerBuyQuoteVolume;
    tradeCount = o.tradeCount;
    eventTime = o.eventTime;
    ingestTime = o.ingestTime;
    srcTopic = o.srcTopic;
    srcPartition = o.srcPartition;
    fromOffset = o.fromOffset;
    toOffset = o.toOffset;
    traded = o.traded;
    feedHealth = o.feedHealth;
  }

  Candle toCandle(Timeframe timeframe, boolean isFinal, int revision, String revisionReason) {
    return Candle.newBuilder()
        .setExchange(exchange).setBase(base).setQuote(quote)
        .setTimeframe(timeframe.label())
        .setOpenTime(Instant.ofEpochMilli(openTime))
        .setCloseTime(Instant.ofEpochMilli(openTime + timeframe.millis()))
        .setOpen(open).setHigh(high).setLow(low).setClose(close)
        .setVolume(volume).setQuoteVolume(quoteVolume).setTradeCount(tradeCount)
        .setIsFinal(isFinal).setRevision(revision).setRevisionReason(revisionReason)
        .setEventTime(Instant.ofEpochMilli(traded ? eventTime : openTime)) // an empty bar has no trade time
        .setIngestTime(Instant.ofEpochMilli(ingestTime))
        .setSource(new SourceRange(srcTopic, srcPartition, fromOffset, toOffset))
        .setTakerBuyVolume(takerBuyVolume)
        .setTakerBuyQuoteVolume(takerBuyQuoteVolume)
        .setVwap(BarAccumulator.vwap(quoteVolume, volume))
        .setFeedHealth(feedHealth)
        .build();
  }
}
