package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.schemas.event.FeedHealth;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 1's answer: the market around a signal as of the signal's bar close, from the advisor's keyed state.
 * Unknown values are null (no quote yet, too few bars for the ATR).
 *
 * @param close close of the signal's bar
 * @param atr average true range over the signal's timeframe
 * @param sma20 simple moving average of 20 closes
 * @param rsi14 Wilder RSI over 14 closes
 * @param barVolume base volume of the signal's bar
 * @param averageVolume average base volume of the last 20 bars
 * @param bars final bars seen at this timeframe
 * @param lastTradeTime time of the newest trade at or before the signal (epoch millis; Long.MIN_VALUE: none)
 * @param bid best bid, from the book or estimated from taker sells
 * @param ask best ask, from the book or estimated from taker buys
 * @param spread (ask - bid) / mid
 * @param spreadSource {@code book} (a fresh quote), {@code trades} (the last taker buy and sell), or {@code none}
 * @param spreadRange widest minus narrowest of the recent spread readings
 * @param regime market regime: {@code trend|range} and {@code high_vol|low_vol}
 */
public record MarketContext(
    long time,
    String timeframe,
    BigDecimal close,
    BigDecimal atr,
    BigDecimal sma20,
    BigDecimal rsi14,
    BigDecimal barVolume,
    BigDecimal averageVolume,
    long bars,
    FeedHealth feedHealth,
    long lastTradeTime,
    BigDecimal bid,
    BigDecimal ask,
    BigDecimal spread,
    String spreadSource,
    BigDecimal spreadRange,
    String regime) {

  /** The context as audit inputs. */
  public Map<String, String> inputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("timeframe", timeframe);
    m.put("close", text(close));
    m.put("atr", text(atr));
    m.put("sma20", text(sma20));
    m.put("rsi14", text(rsi14));
    m.put("bar_volume", text(barVolume));
    m.put("average_volume", text(averageVolume));
    m.put("bars", Long.toString(bars));
    m.put("feed_health", feedHealth == null ? "-" : feedHealth.name());
    m.put("last_trade_age_ms", lastTradeTime == Long.MIN_VALUE ? "-" : Long.toString(time - lastTradeTime));
    m.put("bid", text(bid));
    m.put("ask", text(ask));
    m.put("spread", text(spread));
    m.put("spread_source", spreadSource);
    m.put("spread_range", text(spreadRange));
    m.put("regime", regime);
    return m;
  }
}
