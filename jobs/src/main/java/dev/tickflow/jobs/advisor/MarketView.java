package dev.tickflow.jobs.advisor;

import dev.tickflow.jobs.indicators.AverageTrueRange;
import dev.tickflow.jobs.indicators.Bar;
import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.jobs.indicators.PriceField;
import dev.tickflow.jobs.indicators.RelativeStrengthIndex;
import dev.tickflow.jobs.indicators.SimpleMovingAverage;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.Trade;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * What the advisor knows about one ticker's market, updated in event-time order: per timeframe the indicators of
 * the final bars, and from trades and quotes the newest prices and a short history of spread readings. Without a
 * book quote the spread is estimated from the last taker buy (at the ask) and taker sell (at the bid) within a
 * window: the classic trade-sign estimate, good enough for a venue that publishes trades only.
 */
public final class MarketView implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final int SPREAD_READINGS = 20;

  private final int atrPeriod;
  private final Map<String, TimeframeView> timeframes = new HashMap<>();
  private long lastTradeTime = Long.MIN_VALUE;
  private BigDecimal lastPrice;
  private final TakerSpread taker = new TakerSpread();
  private BigDecimal bookBid;
  private BigDecimal bookAsk;
  private long quoteTime = Long.MIN_VALUE;
  private final ArrayDeque<BigDecimal> spreads = new ArrayDeque<>();

  public MarketView(int atrPeriod) {
    this.atrPeriod = atrPeriod;
  }

  /** Indicators of one timeframe's final bars. */
  static final class TimeframeView implements Serializable {
    private static final long serialVersionUID = 1L;
    final AverageTrueRange atr;
    final SimpleMovingAverage sma20 = new SimpleMovingAverage(20, PriceField.CLOSE);
    final RelativeStrengthIndex rsi14 = new RelativeStrengthIndex(14, PriceField.CLOSE);
    final SimpleMovingAverage volume20 = new SimpleMovingAverage(20, PriceField.VOLUME);
    BigDecimal close;
    BigDecimal volume;
    FeedHealth feedHealth;
    long bars;

    TimeframeView(int atrPeriod) {
      atr = new AverageTrueRange(atrPeriod);
    }
  }

  public void onCandle(Candle c) {
    if (!c.getIsFinal() || c.getRevision() > 0) {
      return; // a revision arrives after the bar was judged; the indicators moved on
    }
    TimeframeView v = timeframes.computeIfAbsent(c.getTimeframe(), tf -> new TimeframeView(atrPeriod));
    Bar bar = Bar.of(c);
    v.atr.update(bar);
    v.sma20.update(bar);
    v.rsi14.update(bar);
    v.volume20.update(bar);
    v.close = c.getClose();
    v.volume = c.getVolume();
    v.feedHealth = c.getFeedHealth();
    v.bars++;
  }

  public void onTrade(Trade t) {
    long time = t.getEventTime().toEpochMilli();
    lastTradeTime = Math.max(lastTradeTime, time);
    lastPrice = t.getPrice();
    taker.onTrade(t);
    if (!bookFresh(time, Long.MAX_VALUE)) {
      BigDecimal[] bidAsk = taker.bidAsk(Long.MAX_VALUE);
      record(bidAsk == null ? null : spread(bidAsk[0], bidAsk[1]));
    }
  }

  public void onQuote(Quote q) {
    bookBid = q.getBidPrice();
    bookAsk = q.getAskPrice();
    quoteTime = q.getEventTime().toEpochMilli();
    record(spread(bookBid, bookAsk));
  }

  private void record(BigDecimal spread) {
    if (spread == null) {
      return;
    }
    spreads.addLast(spread);
    while (spreads.size() > SPREAD_READINGS) {
      spreads.removeFirst();
    }
  }

  private boolean bookFresh(long at, long maxAgeMillis) {
    return quoteTime != Long.MIN_VALUE && at - quoteTime <= maxAgeMillis;
  }

  private static BigDecimal spread(BigDecimal bid, BigDecimal ask) {
    BigDecimal mid = bid.add(ask).divide(TWO, Precision.CONTEXT);
    return mid.signum() <= 0 ? null : Precision.divide(ask.subtract(bid), mid);
  }

  /** The market as of {@code time} for a signal at {@code timeframe}. */
  public MarketContext contextAt(long time, String timeframe, AdvisorConfig config) {
    TimeframeView v = timeframes.get(timeframe);
    BigDecimal bid = null;
    BigDecimal ask = null;
    String source = "none";
    if (bookFresh(time, config.maxQuoteAgeSeconds() * 1000)) {
      bid = bookBid;
      ask = bookAsk;
      source = "book";
    } else {
      BigDecimal[] bidAsk = taker.bidAsk(config.spreadWindowSeconds() * 1000);
      if (bidAsk != null) {
        bid = bidAsk[0];
        ask = bidAsk[1];
        source = "trades";
      }
    }
    BigDecimal spread = bid == null ? null : spread(bid, ask);
    BigDecimal range = spreads.isEmpty() ? null
        : spreads.stream().reduce(BigDecimal::max).orElseThrow()
            .subtract(spreads.stream().reduce(BigDecimal::min).orElseThrow());
    BigDecimal close = v == null ? lastPrice : v.close;
    BigDecimal atr = v != null && v.atr.ready() ? v.atr.value() : null;
    BigDecimal sma = v != null && v.sma20.ready() ? v.sma20.value() : null;
    return new MarketContext(time, timeframe, close, atr, sma,
        v != null && v.rsi14.ready() ? v.rsi14.value() : null,
        v == null ? null : v.volume,
        v != null && v.volume20.ready() ? v.volume20.value() : null,
        v == null ? 0 : v.bars,
        v == null ? null : v.feedHealth,
        lastTradeTime, bid, ask, spread, source, range, regime(close, atr, sma, config));
  }

  /** {@code trend|range} from |close - SMA20| against ATRs, {@code high_vol|low_vol} from ATR / close. */
  static String regime(BigDecimal close, BigDecimal atr, BigDecimal sma, AdvisorConfig config) {
    if (close == null || atr == null || close.signum() == 0) {
      return "unknown";
    }
    String vol = Precision.divide(atr, close).compareTo(config.highVolatility()) >= 0 ? "high_vol" : "low_vol";
    String trend = sma != null && atr.signum() > 0
        && close.subtract(sma).abs().compareTo(atr.multiply(config.trendAtr())) >= 0 ? "trend" : "range";
    return trend + "_" + vol;
  }
}
