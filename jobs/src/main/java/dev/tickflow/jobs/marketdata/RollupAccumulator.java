package dev.tickflow.jobs.marketdata;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The running state of one coarser bar built from finer final candles (a Flink POJO kept in keyed state). Open
 * is the earliest sub-bar's open and close the latest sub-bar's close, whatever order they arrive in; sums are
 * exact, so the result equals aggregating the trades directly.
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
  public long tradeCount;
  public long eventTime;
  public long ingestTime;
  public String srcTopic;
  public int srcPartition;
  public long fromOffset;
  public long toOffset;
  /** Whether any sub-bar had trades; until one has, the price fields are the empty sub-bars' carried close. */
  public boolean traded;

  public RollupAccumulator() {}

  static RollupAccumulator first(Candle c, long openTime) {
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
    r.tradeCount = c.getTradeCount();
    r.eventTime = c.getEventTime().toEpochMilli();
    r.ingestTime = c.getIngestTime().toEpochMilli();
    r.srcTopic = c.getSource().getTopic();
    r.srcPartition = c.getSource().getPartition();
    r.fromOffset = c.getSource().getFromOffset();
    r.toOffset = c.getSource().getToOffset();
    r.traded = c.getTradeCount() > 0;
    return r;
  }

  /**
   * Adds a sub-bar. Empty (flat) sub-bars count only while the bar has no trades at all: once one sub-bar has
   * trades, the coarser bar is what its trades make it, as if aggregated from them (a 5m kline whose first
   * minute is empty opens at its first trade, not at the carried-over close).
   */
  void add(Candle c) {
    boolean subTraded = c.getTradeCount() > 0;
    if (subTraded && !traded) {
      RollupAccumulator fresh = first(c, openTime);
      copyFrom(fresh);
      return;
    }
    if (!subTraded && traded) {
      return;
    }
    long subOpen = c.getOpenTime().toEpochMilli();
    if (subOpen < firstSubOpen) {
      firstSubOpen = subOpen;
      open = c.getOpen();
    }
    if (subOpen > lastSubOpen) {
      lastSubOpen = subOpen;
      close = c.getClose();
    }
    high = high.max(c.getHigh());
    low = low.min(c.getLow());
    volume = volume.add(c.getVolume());
    quoteVolume = quoteVolume.add(c.getQuoteVolume());
    tradeCount += c.getTradeCount();
    eventTime = Math.max(eventTime, c.getEventTime().toEpochMilli());
    ingestTime = Math.max(ingestTime, c.getIngestTime().toEpochMilli());
    fromOffset = Math.min(fromOffset, c.getSource().getFromOffset());
    toOffset = Math.max(toOffset, c.getSource().getToOffset());
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
    tradeCount = o.tradeCount;
    eventTime = o.eventTime;
    ingestTime = o.ingestTime;
    srcTopic = o.srcTopic;
    srcPartition = o.srcPartition;
    fromOffset = o.fromOffset;
    toOffset = o.toOffset;
    traded = o.traded;
  }

  Candle toCandle(Timeframe timeframe) {
    return Candle.newBuilder()
        .setExchange(exchange).setBase(base).setQuote(quote)
        .setTimeframe(timeframe.label())
        .setOpenTime(Instant.ofEpochMilli(openTime))
        .setCloseTime(Instant.ofEpochMilli(openTime + timeframe.millis()))
        .setOpen(open).setHigh(high).setLow(low).setClose(close)
        .setVolume(volume).setQuoteVolume(quoteVolume).setTradeCount(tradeCount)
        .setIsFinal(true).setRevision(0)
        .setEventTime(Instant.ofEpochMilli(traded ? eventTime : openTime)) // an empty bar has no trade time
        .setIngestTime(Instant.ofEpochMilli(ingestTime))
        .setSource(new SourceRange(srcTopic, srcPartition, fromOffset, toOffset))
        .build();
  }
}
