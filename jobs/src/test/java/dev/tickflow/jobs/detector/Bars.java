package dev.tickflow.jobs.detector;

import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Instant;

/** Final 1m candles of BINANCE:XRP/ETH for detector tests. */
final class Bars {

  static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");

  private Bars() {}

  static Candle candle(int minute, String close, String volume) {
    return candle(minute, close, close, close, close, volume);
  }

  static Candle candle(int minute, String open, String high, String low, String close, String volume) {
    return candle("XRP", minute, open, high, low, close, volume);
  }

  static Candle candle(String base, int minute, String open, String high, String low, String close, String volume) {
    Instant t = T0.plusSeconds(60L * minute);
    BigDecimal c = scaled(close);
    return Candle.newBuilder().setExchange("BINANCE").setBase(base).setQuote("ETH").setTimeframe("1m")
        .setOpenTime(t).setCloseTime(t.plusSeconds(60)).setOpen(scaled(open)).setHigh(scaled(high))
        .setLow(scaled(low)).setClose(c).setVolume(scaled(volume)).setQuoteVolume(c).setTradeCount(1)
        .setIsFinal(true).setRevision(0).setEventTime(t.plusSeconds(59)).setIngestTime(t.plusSeconds(59))
        .setSource(new SourceRange("market_data.ohlc", 0, (long) minute, (long) minute))
        .setTakerBuyVolume(BigDecimal.ZERO.setScale(18)).setTakerBuyQuoteVolume(BigDecimal.ZERO.setScale(18))
        .setVwap(c).setFeedHealth(FeedHealth.HEALTHY).build();
  }

  static dev.tickflow.jobs.indicators.Bar bar(int minute, String close, String volume) {
    return dev.tickflow.jobs.indicators.Bar.of(candle(minute, close, volume));
  }

  private static BigDecimal scaled(String v) {
    return new BigDecimal(v).setScale(18);
  }
}
