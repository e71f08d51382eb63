package dev.tickflow.jobs.marketdata;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.time.Instant;

/** Test trades for BINANCE:XRP/ETH. */
final class Trades {

  static final String TICKER = "BINANCE:XRP/ETH";

  private Trades() {}

  static Trade trade(String id, String price, String amount, long time) {
    return trade(id, price, amount, time, Side.BUY);
  }

  static Trade trade(String id, String price, String amount, long time, Side takerSide) {
    return Trade.newBuilder()
        .setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setTradeId(id)
        .setPrice(Decimals.parse(price))
        .setAmount(Decimals.parse(amount))
        .setSide(takerSide)
        .setEventTime(Instant.ofEpochMilli(time))
        .setIngestTime(Instant.ofEpochMilli(time + 5))
        .setSource(new SourceRange("market_data.raw", 0, offsetOf(id), offsetOf(id)))
        .build();
  }

  private static long offsetOf(String id) {
    Long n = TickDeduplicator.numericId(id);
    return n == null ? Math.abs(id.hashCode()) : n;
  }
}
