package dev.tickflow.jobs.risk;

import static dev.tickflow.jobs.advisor.Market.T0;
import static dev.tickflow.jobs.advisor.Market.d;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.advisor.Market;
import dev.tickflow.jobs.paper.PaperConfig;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FillPurpose;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.OrderType;
import dev.tickflow.schemas.event.OutcomeKind;
import dev.tickflow.schemas.event.RiskAction;
import dev.tickflow.schemas.event.RiskCommand;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Every risk rule and verdict, with paper fills, protective orders and the kill switch. */
class RiskGovernorTest {

  /** Equity 10 000; no fees or slippage unless a test sets them, so the figures are easy to follow. */
  private static RiskLimits limits(Map<String, Object> overrides) {
    return new RiskLimits(d("10000"), "ETH", (BigDecimal) overrides.getOrDefault("position", new BigDecimal("0.2")),
        (BigDecimal) overrides.getOrDefault("exposure", new BigDecimal("0.5")),
        (BigDecimal) overrides.getOrDefault("drawdown", new BigDecimal("0.05")),
        (Integer) overrides.getOrDefault("losses", 3), (Long) overrides.getOrDefault("cooldown", 0L),
        castList(overrides.get("windows")), (Integer) overrides.getOrDefault("correlated", 2), Map.of(), 8);
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  private static final PaperConfig FREE = new PaperConfig(BigDecimal.ZERO, BigDecimal.ZERO, 300L, 3600L);

  static KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict> harness(RiskLimits l,
      PaperConfig p) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RiskGovernor(l, p), AccountInput::account,
        Types.STRING);
    h.open();
    return h;
  }

  static ExecutionIntent intent(String id, long ms, Side side, String amount, String price, String stop,
      String target) {
    return intent(id, "XRP", ms, side, amount, price, stop, target);
  }

  static ExecutionIntent intent(String id, String base, long ms, Side side, String amount, String price,
      String stop, String target) {
    return ExecutionIntent.newBuilder().setIntentId(id).setDecisionId("dec-" + id).setExchange("BINANCE")
        .setBase(base).setQuote("ETH").setSide(side).setOrderType(OrderType.MARKET).setAmount(d(amount))
        .setEventTime(T0.plusMillis(ms)).setIngestTime(T0.plusMillis(ms))
        .setSource(new SourceRange("market_data.ohlc", 0, ms, ms)).setAccount("acct").setSignalId("sig-" + id)
        .setReferencePrice(d(price)).setStopLoss(d(stop)).setTakeProfit(d(target)).setConviction(d("0.7"))
        .setRawConviction(d("0.7")).setRegime("range_low_vol").setTimeframe("1m").build();
  }

  static RiskControl command(String id, long ms, RiskCommand c) {
    return RiskControl.newBuilder().setCommandId(id).setAccount("acct").setCommand(c).setReason("test")
        .setOperator("ops").setEventTime(T0.plusMillis(ms)).setIngestTime(T0.plusMillis(ms)).build();
  }

  static void in(KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict> h, Object... events)
      throws Exception {
    for (Object e : events) {
      AccountInput input = e instanceof ExecutionIntent i ? AccountInput.of(i)
          : e instanceof RiskControl c ? AccountInput.of(c) : AccountInput.of("acct", (Trade) e);
      h.processElement(input, input.time());
    }
  }

  static Trade trade(long ms, String price) {
    return Market.trade(ms, price, Side.BUY);
  }

  static List<RiskVerdict> verdicts(KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict> h) {
    return h.extractOutputValues();
  }

  static List<Fill> fills(KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict> h) {
    return h.getSideOutput(RiskGovernor.FILLS) == null ? List.of()
        : h.getSideOutput(RiskGovernor.FILLS).stream().map(r -> r.getValue()).toList();
  }

  static List<SignalOutcome> outcomes(KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict> h) {
    return h.getSideOutput(RiskGovernor.OUTCOMES) == null ? List.of()
        : h.getSideOutput(RiskGovernor.OUTCOMES).stream().map(r -> r.getValue()).toList();
  }

  @Test
  void anAllowedEntryFillsAtTheNextTradeAndItsStopLossClosesItAtALoss() throws Exception {
    PaperConfig costs = new PaperConfig(BigDecimal.TEN, new BigDecimal("2"), 300L, 3600L); // 10 bps fee, 2 bps slip
    try (var h = harness(limits(Map.of()), costs)) {
      in(h, intent("a", 1000, Side.BUY, "100", "1", "0.9", "1.2"),
          Market.trade(1000, "1.00", Side.BUY), // same millisecond: the order is not yet placed when this trades
          Market.trade(2000, "1.00", Side.SELL), // fills here: no buy+sell pair before it, so no spread
          trade(3000, "0.95"), trade(4000, "0.90"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).singleElement().satisfies(v -> {
        assertThat(v.getVerdict()).isEqualTo(RiskAction.ALLOW);
        assertThat(v.getApprovedAmount()).isEqualByComparingTo("100");
        assertThat(v.getLimitState()).containsEntry("equity", "10000").containsEntry("open_positions", "0");
      });
      // entry: 1.00 + half of the spread between the taker buy 1.00 and sell 1.00 (0) + 2 bps = 1.0002
      // stop: triggered at 0.90, a market sell: 0.90 - half spread (1.00 - 0.95 ... last buy 0.95, sell 1.00: 0.025)
      //       - 2 bps of 0.90 = 0.90 - 0.025 - 0.00018 = 0.87482
      assertThat(fills(h)).extracting(Fill::getPurpose).containsExactly(FillPurpose.OPEN, FillPurpose.STOP_LOSS);
      Fill open = fills(h).get(0);
      Fill stop = fills(h).get(1);
      assertThat(open.getPrice()).isEqualByComparingTo("1.0002");
      assertThat(open.getEventTime()).isEqualTo(T0.plusMillis(2000));
      assertThat(open.getFee()).isEqualByComparingTo("0.10002"); // 100.02 x 10 bps
      assertThat(stop.getPrice()).isEqualByComparingTo("0.87482");
      assertThat(stop.getFee()).isEqualByComparingTo("0.087482");
      assertThat(outcomes(h)).singleElement().satisfies(o -> {
        assertThat(o.getOutcome()).isEqualTo(OutcomeKind.LOSS);
        assertThat(o.getCloseReason()).isEqualTo("STOP_LOSS");
        // (0.87482 - 1.0002) x 100 - 0.10002 - 0.087482 = -12.538 - 0.187502 = -12.725502
        assertThat(o.getPnl()).isEqualByComparingTo("-12.725502");
        assertThat(o.getSignalId()).isEqualTo("sig-a");
        assertThat(o.getVerdictId()).isEqualTo("ver-a");
        assertThat(o.getDecisionId()).isEqualTo("dec-a");
      });
      MetricsSnapshot last = h.getSideOutput(RiskGovernor.SNAPSHOTS).stream().reduce((a, b) -> b).orElseThrow()
          .getValue();
      assertThat(last.getGauges()).containsEntry("realized_pnl", "-12.725502").containsEntry("equity", "9987.274498")
          .containsEntry("hit_rate", "0");
    }
  }

  @Test
  void aTakeProfitFillsAtItsLimitPriceAndCountsAsAWin() throws Exception {
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, intent("a", 1000, Side.SELL, "10", "1", "1.1", "0.8"), trade(2000, "1.00"), trade(3000, "0.79"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(fills(h)).extracting(Fill::getPurpose).containsExactly(FillPurpose.OPEN, FillPurpose.TAKE_PROFIT);
      assertThat(fills(h).get(1).getPrice()).isEqualByComparingTo("0.8");
      assertThat(fills(h).get(1).getSide()).isEqualTo(Side.BUY);
      assertThat(outcomes(h)).singleElement().satisfies(o -> {
        assertThat(o.getOutcome()).isEqualTo(OutcomeKind.WIN);
        assertThat(o.getPnl()).isEqualByComparingTo("2"); // short 10 from 1.00 to 0.80
        assertThat(o.getReturnRatio()).isEqualByComparingTo("0.2");
      });
    }
  }

  @Test
  void aPositionOfExactlyTheLimitIsAllowedAndALargerOneIsThrottledToIt() throws Exception {
    try (var h = harness(limits(Map.of("exposure", BigDecimal.ONE)), FREE)) {
      in(h, intent("exact", "XRP", 1000, Side.BUY, "2000", "1", "0.5", "2"), // 2000 = 0.2 x 10000
          intent("big", "ADA", 1000, Side.BUY, "3000", "1", "0.5", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.THROTTLE);
      RiskVerdict throttled = verdicts(h).get(1);
      assertThat(throttled.getApprovedAmount()).isEqualByComparingTo("2000");
      assertThat(throttled.getRequestedAmount()).isEqualByComparingTo("3000");
      assertThat(throttled.getReasons()).singleElement().asString().contains("size cut to 2000");
    }
  }

  @Test
  void theExposureCapThrottlesToTheHeadroomAndThenBlocks() throws Exception {
    try (var h = harness(limits(Map.of("exposure", new BigDecimal("0.3"), "correlated", 9)), FREE)) {
      in(h, intent("a", "XRP", 1000, Side.BUY, "2000", "1", "0.5", "2"),
          intent("b", "ADA", 1000, Side.BUY, "2000", "1", "0.5", "2"),
          trade(2000, "1"),
          Trade.newBuilder(Market.trade(2000, "1", Side.BUY)).setBase("ADA").setTradeId("ada").build(),
          intent("c", "EOS", 3000, Side.BUY, "100", "1", "0.5", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      // a: 2000 of 3000 cap; b: only 1000 left -> throttled... but exposure counts open positions, and a has not
      // filled yet at b's time, so b sees the whole cap and passes; c comes after both filled: 4000 open > 3000
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.ALLOW, RiskAction.BLOCK);
      assertThat(verdicts(h).get(2).getReasons()).singleElement().asString().contains("exposure cap reached");
    }
  }

  @Test
  void aLosingStreakStandsTheAccountDown() throws Exception {
    try (var h = harness(limits(Map.of("losses", 2)), FREE)) {
      in(h, intent("l1", 1000, Side.BUY, "1", "1", "0.9", "2"), trade(2000, "1"), trade(3000, "0.9"),
          intent("l2", 4000, Side.BUY, "1", "1", "0.9", "2"), trade(5000, "1"), trade(6000, "0.9"),
          intent("short", "ADA", 7000, Side.SELL, "1", "1", "1.1", "0.5"),
          intent("again", "EOS", 8000, Side.SELL, "1", "1", "1.1", "0.5")); // the halt stands: said once
      // the short on ADA is a new entry: stood down
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW, RiskAction.ALLOW,
          RiskAction.STAND_DOWN, RiskAction.STAND_DOWN);
      assertThat(verdicts(h).get(3).getReasons()).filteredOn(r -> r.contains("2 losses in a row")).hasSize(1);
      assertThat(verdicts(h).get(2).getReasons()).filteredOn(r -> r.contains("2 losses in a row")).hasSize(1);
      assertThat(verdicts(h).get(2).getLimitState()).containsEntry("consecutive_losses", "2");
    }
  }

  @Test
  void standDownLetsAClosingIntentThrough() throws Exception {
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, intent("long", 1000, Side.BUY, "5", "1", "0.5", "2"), trade(2000, "1"),
          command("halt", 3000, RiskCommand.STAND_DOWN),
          intent("another", "ADA", 4000, Side.BUY, "5", "1", "0.5", "2"),
          intent("exit", 5000, Side.SELL, "5", "1", "1.5", "0.5"), trade(6000, "1.1"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.STAND_DOWN, RiskAction.STAND_DOWN, RiskAction.ALLOW);
      assertThat(verdicts(h).get(3).getChecks()).singleElement()
          .satisfies(c -> assertThat(c.getReason()).contains("exits pass any halt"));
      assertThat(fills(h)).extracting(Fill::getPurpose).containsExactly(FillPurpose.OPEN, FillPurpose.CLOSE);
      assertThat(outcomes(h)).singleElement().satisfies(o -> assertThat(o.getPnl()).isEqualByComparingTo("0.5"));
    }
  }

  @Test
  void theKillSwitchAppliesInEventTimeOrderEvenWhenItArrivesFirst() throws Exception {
    try (var h = harness(limits(Map.of("correlated", 9)), FREE)) {
      // the command (effective at 3000) reaches the governor before the intents around it
      in(h, command("halt", 3000, RiskCommand.STAND_DOWN),
          intent("before", "XRP", 2000, Side.BUY, "1", "1", "0.5", "2"),
          intent("after", "ADA", 4000, Side.BUY, "1", "1", "0.5", "2"),
          command("resume", 5000, RiskCommand.RESUME),
          intent("resumed", "EOS", 6000, Side.BUY, "1", "1", "0.5", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getIntentId)
          .containsExactly("before", "halt", "after", "resume", "resumed");
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.STAND_DOWN, RiskAction.STAND_DOWN, RiskAction.ALLOW, RiskAction.ALLOW);
    }
  }

  @Test
  void closeAllFlattensEveryPositionAtTheNextTradesAndStandsDown() throws Exception {
    try (var h = harness(limits(Map.of("correlated", 9)), FREE)) {
      Trade ada = Trade.newBuilder(Market.trade(2000, "2", Side.BUY)).setBase("ADA").setTradeId("ada1").build();
      Trade ada2 = Trade.newBuilder(Market.trade(5000, "2.5", Side.BUY)).setBase("ADA").setTradeId("ada2").build();
      in(h, intent("x", "XRP", 1000, Side.BUY, "10", "1", "0.5", "2"),
          intent("y", "ADA", 1000, Side.SELL, "10", "2", "3", "1"), trade(2000, "1"), ada,
          command("flat", 3000, RiskCommand.CLOSE_ALL),
          intent("z", "EOS", 3500, Side.BUY, "1", "1", "0.5", "2"),
          trade(4000, "1.2"), ada2);
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.ALLOW, RiskAction.CLOSE_ALL, RiskAction.STAND_DOWN);
      assertThat(fills(h)).extracting(Fill::getPurpose).containsExactly(FillPurpose.OPEN, FillPurpose.OPEN,
          FillPurpose.CLOSE_ALL, FillPurpose.CLOSE_ALL);
      // long XRP 10 from 1 to 1.2: +2; short ADA 10 from 2 to 2.5: -5
      assertThat(outcomes(h)).extracting(SignalOutcome::getPnl).map(BigDecimal::stripTrailingZeros)
          .containsExactly(new BigDecimal("2"), new BigDecimal("-5"));
    }
  }

  @Test
  void aLossStartsACooldownThatBlocksEntriesUntilItEnds() throws Exception {
    try (var h = harness(limits(Map.of("cooldown", 60L)), FREE)) {
      in(h, intent("l", 1000, Side.BUY, "1", "1", "0.9", "2"), trade(2000, "1"), trade(3000, "0.9"),
          intent("soon", 62_999, Side.BUY, "1", "1", "0.9", "2"),
          intent("later", 63_000, Side.BUY, "1", "1", "0.9", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.BLOCK, RiskAction.ALLOW);
      assertThat(verdicts(h).get(1).getReasons()).singleElement().asString().contains("cooling down: last loss 59 s");
    }
  }

  @Test
  void entriesOutsideTheTradingWindowsAreBlocked() throws Exception {
    try (var h = harness(limits(Map.of("windows", List.of("00:00-00:01", "23:00-00:00"))), FREE)) {
      in(h, intent("in", 59_999, Side.BUY, "1", "1", "0.9", "2"),
          intent("out", "ADA", 60_000, Side.BUY, "1", "1", "0.9", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW, RiskAction.BLOCK);
      assertThat(verdicts(h).get(1).getReasons()).singleElement().asString().contains("outside trading windows");
    }
  }

  @Test
  void tooManyCorrelatedPositionsInOneDirectionAreBlocked() throws Exception {
    try (var h = harness(limits(Map.of("correlated", 1)), FREE)) {
      in(h, intent("x", "XRP", 1000, Side.BUY, "1", "1", "0.5", "2"), trade(2000, "1"),
          intent("ada-long", "ADA", 3000, Side.BUY, "1", "1", "0.5", "2"),
          intent("ada-short", "ADA", 3000, Side.SELL, "1", "1", "1.5", "0.5"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.BLOCK, RiskAction.ALLOW);
      assertThat(verdicts(h).get(1).getReasons()).singleElement().asString()
          .contains("1 LONG positions already open in group quote:ETH");
    }
  }

  @Test
  void aSessionDrawdownStandsDownUntilTheNextUtcDay() throws Exception {
    try (var h = harness(limits(Map.of("drawdown", new BigDecimal("0.01"), "position", BigDecimal.ONE,
        "exposure", BigDecimal.ONE)), FREE)) {
      long day = 86_400_000L;
      in(h, intent("big", 1000, Side.BUY, "1000", "1", "0.5", "2"), trade(2000, "1"), trade(3000, "0.85"),
          // equity 10000 - 150 = 9850: a 1.5% drawdown
          intent("next", "ADA", 4000, Side.BUY, "1", "1", "0.5", "2"),
          intent("tomorrow", "ADA", day + 1000, Side.BUY, "1", "1", "0.5", "2"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).extracting(RiskVerdict::getVerdict).containsExactly(RiskAction.ALLOW,
          RiskAction.STAND_DOWN, RiskAction.ALLOW);
      assertThat(verdicts(h).get(1).getReasons()).anyMatch(r -> r.contains("session drawdown 0.015 reached 0.01"));
    }
  }

  @Test
  void aCurrencyOtherThanTheAccountsIsBlocked() throws Exception {
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, ExecutionIntent.newBuilder(intent("usdt", 1000, Side.BUY, "1", "1", "0.5", "2")).setQuote("USDT").build());
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).singleElement().satisfies(v -> {
        assertThat(v.getVerdict()).isEqualTo(RiskAction.BLOCK);
        assertThat(v.getReasons()).singleElement().asString().contains("quoted in USDT, the account is in ETH");
      });
    }
  }

  @Test
  void anEntryWithoutProtectiveOrdersIsBlocked() throws Exception {
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, ExecutionIntent.newBuilder(intent("naked", 1000, Side.BUY, "1", "1", "0.5", "2")).setStopLoss(null).build(),
          trade(2000, "1"));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(verdicts(h)).singleElement().satisfies(v -> {
        assertThat(v.getVerdict()).isEqualTo(RiskAction.BLOCK);
        assertThat(v.getReasons()).contains("an entry needs a stop-loss and a take-profit");
      });
      assertThat(fills(h)).isEmpty();
    }
  }

  @Test
  void positionsAndWaitingOrdersSurviveACheckpointAndRestore() throws Exception {
    Object[] before = {intent("a", 1000, Side.BUY, "10", "1", "0.9", "1.2"), trade(2000, "1"),
        intent("b", "ADA", 2500, Side.BUY, "10", "1", "0.9", "1.2")};
    Object[] after = {trade(3000, "1.25"),
        Trade.newBuilder(Market.trade(3500, "1", Side.BUY)).setBase("ADA").setTradeId("ada").build()};
    List<Fill> uninterrupted;
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, before);
      in(h, after);
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      uninterrupted = fills(h);
    }
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
    try (var h = harness(limits(Map.of()), FREE)) {
      in(h, before);
      h.processWatermark(new Watermark(T0.toEpochMilli() + 2600)); // a position open, an entry waiting
      snapshot = h.snapshot(1L, 1L);
    }
    var restored = new KeyedOneInputStreamOperatorTestHarness<String, AccountInput, RiskVerdict>(
        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new RiskGovernor(limits(Map.of()), FREE)),
        AccountInput::account, Types.STRING);
    try (restored) {
      restored.initializeState(snapshot);
      restored.open();
      in(restored, after);
      restored.processWatermark(new Watermark(Long.MAX_VALUE));
      // the take-profit of a and the entry of b, as if nothing had happened
      assertThat(fills(restored)).extracting(Fill::getFillId).containsExactly("pos-a/take_profit", "pos-b/open");
      assertThat(uninterrupted).extracting(Fill::getFillId).endsWith("pos-a/take_profit", "pos-b/open");
    }
  }
}
