package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** BINANCE:XRP/ETH market data and signals for advisor, risk and paper tests. */
public final class Market {

  public static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");

  private Market() {}

  public static BigDecimal d(String v) {
    return new BigDecimal(v).setScale(18);
  }

  public static Candle candle(int minute, String open, String high, String low, String close, String volume) {
    Instant t = T0.plusSeconds(60L * minute);
    return Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
        .setOpenTime(t).setCloseTime(t.plusSeconds(60)).setOpen(d(open)).setHigh(d(high)).setLow(d(low))
        .setClose(d(close)).setVolume(d(volume)).setQuoteVolume(d(close)).setTradeCount(1).setIsFinal(true)
        .setRevision(0).setEventTime(t.plusSeconds(59)).setIngestTime(t.plusSeconds(59))
        .setSource(new SourceRange("market_data.ohlc", 0, (long) minute, (long) minute))
        .setFeedHealth(FeedHealth.HEALTHY).build();
  }

  /** A bar around {@code close} with a range of 2 x {@code half}. */
  public static Candle bar(int minute, String close, String half, String volume) {
    BigDecimal c = new BigDecimal(close);
    BigDecimal h = new BigDecimal(half);
    return candle(minute, close, c.add(h).toPlainString(), c.subtract(h).toPlainString(), close, volume);
  }

  public static Trade trade(long millis, String price, Side side) {
    Instant t = T0.plusMillis(millis);
    return Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId("t" + millis + side)
        .setPrice(d(price)).setAmount(d("10")).setSide(side).setEventTime(t).setIngestTime(t)
        .setSource(new SourceRange("market_data.trades", 0, millis, millis)).build();
  }

  public static Signal signal(int closeMinute, Direction direction, String score, String threshold, String price) {
    Instant t = T0.plusSeconds(60L * closeMinute);
    return Signal.newBuilder().setSignalId("sig-" + closeMinute + "-" + direction).setExchange("BINANCE")
        .setBase("XRP").setQuote("ETH").setTimeframe("1m").setDirection(direction).setScore(d(score))
        .setPrice(d(price))
        .setRules(List.of(RuleContribution.newBuilder().setRule("r").setFired(true).setWeight(d(score))
            .setScore(d(score)).setDetail("").setInputs(Map.of()).build()))
        .setEventTime(t).setIngestTime(t).setSource(new SourceRange("market_data.ohlc", 0, 1L, 1L))
        .setDetectorId("momentum").setDetectorVersion(1).setThreshold(d(threshold)).build();
  }
}
