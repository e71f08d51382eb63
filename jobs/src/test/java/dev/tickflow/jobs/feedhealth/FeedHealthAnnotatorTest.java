package dev.tickflow.jobs.feedhealth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.SourceRange;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class FeedHealthAnnotatorTest {

  private static final String TICKER = "BINANCE:XRP/ETH";
  private static final long T0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();
  private static final long BAR_END = T0 + 60_000;

  private static KeyedTwoInputStreamOperatorTestHarness<String, Candle, FeedSignal, Candle> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
        new FeedHealthAnnotator(Timeframe.M1, Duration.ofSeconds(15), Duration.ofMinutes(2)),
        c -> Ticker.key(c.getExchange(), c.getBase(), c.getQuote()), s -> s.ticker, Types.STRING);
  }

  @Test
  void aQuietMinuteWithTheFeedHeartbeatingIsHealthy() throws Exception {
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, BAR_END + 5_000, 5_000, true);
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.HEALTHY);
    }
  }

  @Test
  void heartbeatsThatStopForLongerThanTheTimeoutDegradeTheBar() throws Exception {
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, T0 + 20_000, 5_000, true);
      beatEvery(h, T0 + 40_000, BAR_END + 5_000, 5_000, true); // 20 s without a word
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.DEGRADED);
    }
  }

  @Test
  void aDisconnectedHeartbeatDuringTheBarDegradesIt() throws Exception {
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, BAR_END + 5_000, 5_000, true);
      h.processElement2(new StreamRecord<>(beat(T0 + 12_345, false), T0 + 12_345));
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.DEGRADED);
    }
  }

  @Test
  void anUnrepairedGapDegradesTheBarsItOverlapsAndARepairedOneDoesNot() throws Exception {
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, BAR_END + 5_000, 5_000, true);
      h.processElement2(new StreamRecord<>(gap(T0 - 30_000, T0 - 10_000, false), T0 - 9_000)); // before the bar
      h.processElement2(new StreamRecord<>(gap(T0 + 10_000, T0 + 20_000, true), T0 + 21_000)); // repaired
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.HEALTHY);
    }
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, BAR_END + 5_000, 5_000, true);
      h.processElement2(new StreamRecord<>(gap(T0 + 10_000, T0 + 20_000, false), T0 + 21_000));
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.DEGRADED);
    }
  }

  @Test
  void withoutAnyHeartbeatTheHealthIsUnknown() throws Exception {
    try (var h = harness()) {
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.UNKNOWN);
    }
    try (var h = harness()) {
      beatEvery(h, T0 + 5_000, BAR_END + 5_000, 5_000, true); // the first heartbeat came after the bar opened
      assertThat(finalBar(h, emptyBar())).isEqualTo(FeedHealth.UNKNOWN);
    }
  }

  @Test
  void aFinalBarWaitsForTheHeartbeatsOfItsIntervalAndNothingIsKeptLongerThanARevisionCanReach()
      throws Exception {
    try (var h = harness()) {
      beatEvery(h, T0 - 5_000, T0 + 30_000, 5_000, true);
      Candle provisional = Candle.newBuilder(emptyBar()).setIsFinal(false).build();
      h.processElement1(new StreamRecord<>(provisional, T0 + 1));
      assertThat(h.extractOutputValues()).as("provisional bars pass at once").hasSize(1);
      h.processElement1(new StreamRecord<>(emptyBar(), BAR_END - 1));
      h.processWatermark1(new Watermark(BAR_END));
      h.processWatermark2(new Watermark(T0 + 30_000)); // heartbeats only known up to 00:00:30
      assertThat(h.extractOutputValues()).hasSize(1);

      beatEvery(h, T0 + 35_000, BAR_END + 5_000, 5_000, true);
      h.processWatermark2(new Watermark(BAR_END));
      assertThat(h.extractOutputValues()).hasSize(2).last()
          .satisfies(c -> assertThat(c.getFeedHealth()).isEqualTo(FeedHealth.HEALTHY));

      // a revision is judged at once, with what is still known
      Candle revised = Candle.newBuilder(emptyBar()).setRevision(1).setRevisionReason("late trade").build();
      h.processElement1(new StreamRecord<>(revised, BAR_END - 1));
      assertThat(h.extractOutputValues()).hasSize(3).last()
          .satisfies(c -> assertThat(c.getFeedHealth()).isEqualTo(FeedHealth.HEALTHY));

      long later = BAR_END + Duration.ofMinutes(10).toMillis();
      h.processWatermark1(new Watermark(later));
      h.processWatermark2(new Watermark(later));
      h.processElement2(new StreamRecord<>(beat(later, true), later));
      assertThat(h.numKeyedStateEntries()).as("the first heartbeat's time and the newest heartbeat").isEqualTo(2);
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  private static FeedHealth finalBar(KeyedTwoInputStreamOperatorTestHarness<String, Candle, FeedSignal, Candle> h,
      Candle bar) throws Exception {
    h.processElement1(new StreamRecord<>(bar, BAR_END - 1));
    h.processWatermark1(new Watermark(BAR_END + 5_000));
    h.processWatermark2(new Watermark(BAR_END + 5_000));
    return h.extractOutputValues().get(h.extractOutputValues().size() - 1).getFeedHealth();
  }

  private static void beatEvery(KeyedTwoInputStreamOperatorTestHarness<String, Candle, FeedSignal, Candle> h,
      long from, long to, long every, boolean connected) throws Exception {
    for (long t = from; t <= to; t += every) {
      h.processElement2(new StreamRecord<>(beat(t, connected), t));
    }
  }

  private static FeedSignal beat(long time, boolean connected) {
    FeedSignal s = new FeedSignal();
    s.ticker = TICKER;
    s.time = time;
    s.heartbeat = true;
    s.connected = connected;
    return s;
  }

  private static FeedSignal gap(long from, long to, boolean repaired) {
    FeedSignal s = new FeedSignal();
    s.ticker = TICKER;
    s.time = to + 1_000;
    s.gapFrom = from;
    s.gapTo = to;
    s.repaired = repaired;
    return s;
  }

  private static Candle emptyBar() {
    BigDecimal p = new BigDecimal("0.001414000000000000");
    return Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
        .setOpenTime(Instant.ofEpochMilli(T0)).setCloseTime(Instant.ofEpochMilli(BAR_END))
        .setOpen(p).setHigh(p).setLow(p).setClose(p).setVolume(BigDecimal.ZERO.setScale(18))
        .setQuoteVolume(BigDecimal.ZERO.setScale(18)).setTradeCount(0).setIsFinal(true).setRevision(0)
        .setEventTime(Instant.ofEpochMilli(T0)).setIngestTime(Instant.ofEpochMilli(T0))
        .setSource(new SourceRange("market_data.raw", 0, 1L, 1L)).build();
  }
}
