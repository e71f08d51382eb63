package dev.tickflow.jobs.patterns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The pattern over trades in a Flink job: bursts that match, and ones that are too slow, too small or mixed. */
class TradePatternsTest {

  private static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");

  private static Trade trade(String base, int id, long millis, String amount, Side side) {
    Instant t = T0.plusMillis(millis);
    return Trade.newBuilder().setExchange("BINANCE").setBase(base).setQuote("ETH").setTradeId(Integer.toString(id))
        .setPrice(new BigDecimal("0.0014").setScale(18)).setAmount(new BigDecimal(amount).setScale(18)).setSide(side)
        .setEventTime(t).setIngestTime(t).setSource(new SourceRange("market_data.raw", 0, (long) id, (long) id))
        .build();
  }

  @Test
  void aBurstOfLargeSameSideTradesWithinTheWindowIsAnAlert() throws Exception {
    List<Trade> trades = new ArrayList<>();
    // FAST: three buys of 10+ in 2 s, a small buy and a sell in between that do not count
    trades.add(trade("FAST", 1, 0, "10", Side.BUY));
    trades.add(trade("FAST", 2, 500, "1", Side.BUY));
    trades.add(trade("FAST", 3, 900, "50", Side.SELL));
    trades.add(trade("FAST", 4, 1000, "12", Side.BUY));
    trades.add(trade("FAST", 5, 2000, "30", Side.BUY));
    // SLOW: the same three buys over 20 s: the partial match runs out of its 5 s window
    trades.add(trade("SLOW", 1, 0, "10", Side.BUY));
    trades.add(trade("SLOW", 2, 10_000, "12", Side.BUY));
    trades.add(trade("SLOW", 3, 20_000, "30", Side.BUY));
    // MIXED: large trades within the window, but the sides alternate
    trades.add(trade("MIXED", 1, 0, "10", Side.BUY));
    trades.add(trade("MIXED", 2, 100, "10", Side.SELL));
    trades.add(trade("MIXED", 3, 200, "10", Side.BUY));
    trades.add(trade("MIXED", 4, 300, "10", Side.SELL));
    List<PatternSpec> specs = PatternSpecs.parse("""
        patterns:
          - {id: burst, type: trade_burst, tickers: ["*"], trades: 3, window: 5s, min_amount: 10}
        """);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    var timed = env.fromData(trades, TypeInformation.of(Trade.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>forBoundedOutOfOrderness(Duration.ofSeconds(1))
            .withTimestampAssigner((t, ts) -> t.getEventTime().toEpochMilli()));
    List<PatternAlert> alerts = new ArrayList<>();
    try (var it = TradePatterns.addTo(timed, specs).executeAndCollect("trade patterns")) {
      it.forEachRemaining(alerts::add);
    }
    Map<String, List<PatternAlert>> byBase = alerts.stream().collect(Collectors.groupingBy(PatternAlert::getBase));
    assertThat(byBase).containsOnlyKeys("FAST");
    assertThat(byBase.get("FAST")).singleElement().satisfies(a -> {
      assertThat(a.getTimeframe()).isEqualTo("tick");
      assertThat(a.getAttributes()).containsEntry("side", "BUY").containsEntry("trades", "3")
          .containsEntry("total_amount", "52").containsEntry("first_trade_id", "1").containsEntry("last_trade_id", "5")
          .containsEntry("millis", "2000");
      assertThat(a.getEventTime()).isEqualTo(T0.plusMillis(2000));
    });
  }

  @Test
  void aBurstNeedsTwoTradesAWindowAndASide() {
    assertThatThrownBy(() -> PatternSpecs.parse("""
        patterns:
          - {id: b, type: trade_burst, tickers: ["*"], trades: 1, window: 2h, side: up, min_amount: -1}
        """)).hasMessageContaining("trades must be a whole number from 2 to 1000")
        .hasMessageContaining("window must be more than zero and at most an hour")
        .hasMessageContaining("side 'up' is not buy, sell or any")
        .hasMessageContaining("min_amount must be a number of at least 0");
    PatternSpec candles = PatternSpecs.parse("patterns: [{id: s, type: stale_feed, tickers: ['*'], bars: 3}]").get(0);
    assertThatThrownBy(candles::tradePattern).hasMessageContaining("a pattern over candles");
  }
}
