package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;

/**
 * One configured CEP pattern over final candles. Every pattern is bounded by {@code within} (a few bars), so the
 * partial matches kept per ticker stay few: at most one per bar of the window, each holding the bars it has taken.
 * CEP emits every match ({@code noSkip}) on the bar that completes it; {@link OverlappingMatchFilter} keeps the ones
 * that do not overlap an earlier alert (it says why not CEP's own skip strategy).
 *
 * @param bars {@code rising_closes_with_volume}: rises needed; {@code confirmed_breakout}: the range length;
 *     {@code stale_feed}: bars without trades
 * @param percent {@code spike_reversal}: the move from the start close that counts as a spike, in percent
 * @param window {@code spike_reversal}: how long the spike may take; {@code trade_burst}: how long the burst may take
 * @param minAmount {@code trade_burst}: the least amount a trade needs to count (zero: any)
 * @param side {@code trade_burst}: BUY, SELL, or null for either (all trades of one burst are on one side)
 */
public record PatternSpec(String id, Type type, List<String> tickers, Timeframe timeframe, int bars,
    BigDecimal percent, Duration window, BigDecimal minAmount, Side side) implements Serializable {

  /** The pattern types, as config {@code type}s. */
  public enum Type {
    /** {@code bars} closes in a row each above the one before, on rising volume. */
    RISING_CLOSES_WITH_VOLUME,
    /**
     * A high more than {@code percent} above a close, then a close giving back half of the move, all within
     * {@code window}.
     */
    SPIKE_REVERSAL,
    /** A close above the high of the {@code bars} before it, and the next bar closing above that high too. */
    CONFIRMED_BREAKOUT,
    /**
     * A bar with trades, then {@code bars} bars without any whose feed health is not HEALTHY: no trades and no
     * sign that the feed is up (an empty bar on a healthy feed is a quiet market, not a stale feed).
     */
    STALE_FEED,
    /** Over trades, not bars: {@code bars} trades on one side, each of at least {@code minAmount}, within {@code window}. */
    TRADE_BURST;

    /** Whether the pattern reads trades rather than final candles. */
    public boolean overTrades() {
      return this == TRADE_BURST;
    }
  }

  /** Whether the pattern watches {@code ticker}; {@code *} matches any text. */
  public boolean watches(String ticker) {
    return dev.tickflow.schemas.TickerPatterns.anyMatches(tickers, ticker);
  }

  /** How long a match may span: the bound that keeps the pattern's state small. */
  public Duration within() {
    long bar = timeframe.millis();
    return switch (type) {
      case RISING_CLOSES_WITH_VOLUME -> Duration.ofMillis(bar * (bars + 1));
      case SPIKE_REVERSAL -> window.plusMillis(bar);
      case CONFIRMED_BREAKOUT -> Duration.ofMillis(bar * (bars + 2));
      case STALE_FEED -> Duration.ofMillis(bar * (bars + 1));
      case TRADE_BURST -> window;
    };
  }

  /** The Flink CEP pattern. */
  public Pattern<Candle, ?> pattern() {
    AfterMatchSkipStrategy skip = AfterMatchSkipStrategy.noSkip();
    return switch (type) {
      case RISING_CLOSES_WITH_VOLUME -> Pattern.<Candle>begin("base", skip)
          .next("rise").where(new RisesOnVolume()).times(bars).consecutive()
          .within(within());
      case SPIKE_REVERSAL -> Pattern.<Candle>begin("start", skip)
          .followedBy("peak").where(new SpikeFrom(percent))
          .followedBy("reversal").where(new GivesBackHalf())
          .within(within());
      case CONFIRMED_BREAKOUT -> Pattern.<Candle>begin("range", skip).times(bars).consecutive()
          .next("breakout").where(new ClosesAboveRange())
          .next("confirm").where(new ClosesAboveRange())
          .within(within());
      case STALE_FEED -> Pattern.<Candle>begin("traded", skip).where(SimpleCondition.of(c -> c.getTradeCount() > 0))
          .next("silent").where(SimpleCondition.of(c -> c.getTradeCount() == 0
              && c.getFeedHealth() != dev.tickflow.schemas.event.FeedHealth.HEALTHY)).times(bars).consecutive()
          .within(within());
      case TRADE_BURST -> throw new IllegalStateException(id + " is a pattern over trades: use tradePattern()");
    };
  }

  /** The Flink CEP pattern of a pattern over trades. */
  public Pattern<Trade, ?> tradePattern() {
    if (type != Type.TRADE_BURST) {
      throw new IllegalStateException(id + " is a pattern over candles: use pattern()");
    }
    BigDecimal least = minAmount;
    Side only = side;
    // the first trade fixes the side (unless the config did); relaxed contiguity skips the other side's trades
    return Pattern.<Trade>begin("first", AfterMatchSkipStrategy.noSkip())
        .where(SimpleCondition.of(t -> t.getAmount().compareTo(least) >= 0 && (only == null || t.getSide() == only)))
        .followedBy("more").where(new SameSideAtLeast(least)).times(bars - 1)
        .within(window);
  }

  /** A trade of at least the amount, on the side of the burst's first trade. */
  static final class SameSideAtLeast extends IterativeCondition<Trade> {
    private static final long serialVersionUID = 1L;
    private final BigDecimal least;

    SameSideAtLeast(BigDecimal least) {
      this.least = least;
    }

    @Override
    public boolean filter(Trade t, Context<Trade> ctx) throws Exception {
      Trade first = ctx.getEventsForPattern("first").iterator().next();
      return t.getSide() == first.getSide() && t.getAmount().compareTo(least) >= 0;
    }
  }

  static Candle last(Map<String, List<Candle>> match, String name) {
    List<Candle> bars = match.get(name);
    return bars == null || bars.isEmpty() ? null : bars.get(bars.size() - 1);
  }

  /** Close and volume above the previous bar of the match. */
  static final class RisesOnVolume extends IterativeCondition<Candle> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(Candle c, Context<Candle> ctx) throws Exception {
      Candle previous = null;
      for (Candle b : ctx.getEventsForPattern("base")) {
        previous = b;
      }
      for (Candle b : ctx.getEventsForPattern("rise")) {
        previous = b;
      }
      return previous != null && c.getClose().compareTo(previous.getClose()) > 0
          && c.getVolume().compareTo(previous.getVolume()) > 0;
    }
  }

  /** A high more than {@code percent} above the start's close. */
  static final class SpikeFrom extends IterativeCondition<Candle> {
    private static final long serialVersionUID = 1L;
    private final BigDecimal fraction;

    SpikeFrom(BigDecimal percent) {
      this.fraction = percent.movePointLeft(2);
    }

    @Override
    public boolean filter(Candle c, Context<Candle> ctx) throws Exception {
      Candle start = ctx.getEventsForPattern("start").iterator().next();
      BigDecimal move = c.getHigh().subtract(start.getClose());
      return start.getClose().signum() > 0 && move.compareTo(start.getClose().multiply(fraction)) > 0;
    }
  }

  /** A close, after the peak, at or below the middle of the spike. */
  static final class GivesBackHalf extends IterativeCondition<Candle> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(Candle c, Context<Candle> ctx) throws Exception {
      Candle start = ctx.getEventsForPattern("start").iterator().next();
      Candle peak = ctx.getEventsForPattern("peak").iterator().next();
      BigDecimal middle = start.getClose().add(peak.getHigh()).divide(BigDecimal.valueOf(2), MathContext.DECIMAL128);
      return c.getClose().compareTo(middle) <= 0;
    }
  }

  /** A close above every high of the range bars. */
  static final class ClosesAboveRange extends IterativeCondition<Candle> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(Candle c, Context<Candle> ctx) throws Exception {
      BigDecimal high = null;
      for (Candle b : ctx.getEventsForPattern("range")) {
        high = high == null || b.getHigh().compareTo(high) > 0 ? b.getHigh() : high;
      }
      return high != null && c.getClose().compareTo(high) > 0;
    }
  }
}
