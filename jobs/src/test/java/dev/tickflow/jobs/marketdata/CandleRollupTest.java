package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.binance.BinanceAggTradesCsv;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Trade;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Rollups against the real Binance sample: every coarser bar built from finer candles equals the bar built
 * directly from the trades, field for field, and the 5m bars equal Binance's own 5m klines.
 */
class CandleRollupTest {

  private static final Timeframe[] CHAIN = {Timeframe.M1, Timeframe.M5, Timeframe.M15, Timeframe.H1, Timeframe.H4,
      Timeframe.D1};

  @Test
  void everyRolledUpTimeframeEqualsAggregatingTheTradesDirectly() throws Exception {
    List<Trade> trades = sampleTrades();
    List<StreamRecord<Candle>> finer = aggregate(new CandleAggregator(Timeframe.M1), trades);
    for (int i = 1; i < CHAIN.length; i++) {
      List<StreamRecord<Candle>> rolled = rollUp(new CandleRollup(CHAIN[i - 1], CHAIN[i]), finer);
      List<StreamRecord<Candle>> direct = aggregate(new CandleAggregator(CHAIN[i]), trades);
      List<Candle> rolledBars = values(rolled);
      List<Candle> directBars = values(direct);
      assertThat(rolledBars).as(CHAIN[i].label()).isNotEmpty().hasSameSizeAs(directBars);
      for (int b = 0; b < rolledBars.size(); b++) {
        Candle r = rolledBars.get(b);
        Candle d = directBars.get(b);
        if (d.getTradeCount() > 0) {
          assertThat(r).as(CHAIN[i].label() + " bar " + d.getOpenTime()).isEqualTo(d);
        } else { // an empty bar: same prices and times; provenance is the bar its close was carried from
          assertThat(List.of(r.getOpenTime(), r.getOpen(), r.getHigh(), r.getLow(), r.getClose(), r.getVolume(),
              r.getTradeCount(), r.getEventTime())).as(CHAIN[i].label() + " empty bar " + d.getOpenTime())
              .isEqualTo(List.of(d.getOpenTime(), d.getOpen(), d.getHigh(), d.getLow(), d.getClose(), d.getVolume(),
                  d.getTradeCount(), d.getEventTime()));
        }
      }
      finer = rolled;
    }
  }

  @Test
  void forwardingRollupsInAChainEmitEveryTimeframeInOneStream() throws Exception {
    List<Object> m1 = aggregatorOutput(new CandleAggregator(Timeframe.M1), sampleTrades());
    List<Object> all = m1; // what forwarding rollups pass along the chain: candles of every timeframe so far
    List<Object> finer = m1; // what a rollup on its own is given: the finer timeframe alone
    for (int i = 1; i < CHAIN.length; i++) {
      String coarser = CHAIN[i].label();
      List<Object> next = operatorOutput(new CandleRollup(CHAIN[i - 1], CHAIN[i], Duration.ZERO, true), all);
      List<Candle> forwarded = candles(next);
      List<Object> alone = operatorOutput(new CandleRollup(CHAIN[i - 1], CHAIN[i]), finer);
      assertThat(forwarded.stream().filter(c -> !c.getTimeframe().equals(coarser)).toList())
          .as("what a forwarding %s rollup passes on", coarser).containsExactlyElementsOf(candles(all));
      assertThat(forwarded.stream().filter(c -> c.getTimeframe().equals(coarser)).toList())
          .as("what it adds: what a %s rollup on its own emits", coarser)
          .isNotEmpty().containsExactlyElementsOf(candles(alone));
      all = next;
      finer = alone;
    }
    assertThat(candles(all).stream().map(Candle::getTimeframe).distinct())
        .containsExactly("1m", "5m", "15m", "1h", "4h", "1d");
  }

  /** Everything the aggregator emits for {@code trades}: candles and the watermarks between them, in order. */
  private static List<Object> aggregatorOutput(CandleAggregator aggregator, List<Trade> trades) throws Exception {
    try (var h = harness(aggregator)) {
      for (Trade t : trades) {
        long time = t.getEventTime().toEpochMilli();
        h.processElement(new StreamRecord<>(t, time));
        h.processWatermark(time - 1);
      }
      h.processWatermark(Long.MAX_VALUE);
      return new ArrayList<>(h.getOutput());
    }
  }

  /** {@code in}, an upstream operator's output, through {@code rollup}: its candles and watermarks, in order. */
  @SuppressWarnings("unchecked")
  private static List<Object> operatorOutput(CandleRollup rollup, List<Object> in) throws Exception {
    try (var h = harness(rollup)) {
      for (Object o : in) {
        if (o instanceof StreamRecord<?> r) {
          h.processElement((StreamRecord<Candle>) r);
        } else if (o instanceof org.apache.flink.streaming.api.watermark.Watermark w) {
          h.processWatermark(w);
        }
      }
      return new ArrayList<>(h.getOutput());
    }
  }

  private static List<Candle> candles(List<Object> output) {
    List<Candle> out = new ArrayList<>();
    for (Object o : output) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof Candle c) {
        out.add(c);
      }
    }
    return out;
  }

  @Test
  void fiveMinuteRollupsEqualBinancesFiveMinuteKlines() throws Exception {
    List<StreamRecord<Candle>> m1 = aggregate(new CandleAggregator(Timeframe.M1), sampleTrades());
    BinanceKlines klines = BinanceKlines.read(SampleData.open(SampleData.KLINES_5M));
    List<Candle> m5 = values(rollUp(new CandleRollup(Timeframe.M1, Timeframe.M5), m1));
    assertThat(m5).hasSize(144);
    assertThat(m5).allMatch(c -> klines.byOpenTime().containsKey(c.getOpenTime().toEpochMilli()));
    for (Candle c : m5) {
      BinanceKlines.Kline k = klines.byOpenTime().get(c.getOpenTime().toEpochMilli());
      String bar = "5m bar " + c.getOpenTime();
      assertThat(c.getOpen()).as(bar).isEqualByComparingTo(k.open());
      assertThat(c.getHigh()).as(bar).isEqualByComparingTo(k.high());
      assertThat(c.getLow()).as(bar).isEqualByComparingTo(k.low());
      assertThat(c.getClose()).as(bar).isEqualByComparingTo(k.close());
      assertThat(c.getVolume()).as(bar).isEqualByComparingTo(k.volume());
    }
  }

  @Test
  void aFinishedBarLeavesNoStateOrTimerAndALateSubBarIsDeadLettered() throws Exception {
    long t0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();
    try (var h = harness(new CandleRollup(Timeframe.M1, Timeframe.M5))) {
      Candle a = oneMinute(t0, "1.5", 1);
      Candle b = oneMinute(t0 + 240_000, "1.7", 2);
      h.processElement(new StreamRecord<>(b, t0 + 299_999)); // out of order within the bar
      h.processElement(new StreamRecord<>(a, t0 + 59_999));
      h.processElement(new StreamRecord<>(provisional(oneMinute(t0 + 60_000, "9", 3)), t0 + 60_000));
      assertThat(h.extractOutputValues()).as("the open bar so far, with the provisional minute").singleElement()
          .satisfies(c -> {
            assertThat(c.getIsFinal()).isFalse();
            assertThat(c.getHigh()).isEqualByComparingTo("9");
            assertThat(c.getTradeCount()).isEqualTo(4);
          });
      h.getOutput().clear();
      h.processWatermark(t0 + 299_999);
      assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
        assertThat(c.getIsFinal()).isTrue();
        assertThat(c.getOpen()).isEqualByComparingTo("1.5");
        assertThat(c.getClose()).isEqualByComparingTo("1.7");
        assertThat(c.getHigh()).isEqualByComparingTo("1.7");
        assertThat(c.getTradeCount()).isEqualTo(3);
        assertThat(c.getSource().getFromOffset()).isEqualTo(1);
        assertThat(c.getSource().getToOffset()).isEqualTo(2);
      });
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();

      h.processElement(new StreamRecord<>(oneMinute(t0 + 120_000, "1.6", 4), t0 + 179_999));
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement().satisfies(r -> {
        assertThat(r.getValue().getErrorType()).isEqualTo("LATE");
        assertThat(r.getValue().getReason()).contains("1m bar 2019-10-11T00:02:00Z arrived after the 5m bar");
      });
    }
  }

  @Test
  void aRevisedSubBarRevisesTheFinalCoarserBarUntilTheLatenessHasPassed() throws Exception {
    long t0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();
    try (var h = harness(new CandleRollup(Timeframe.M1, Timeframe.M5, Duration.ofMinutes(2)))) {
      h.processElement(new StreamRecord<>(oneMinute(t0, "1.5", 1), t0 + 59_999));
      h.processElement(new StreamRecord<>(oneMinute(t0 + 240_000, "1.7", 2), t0 + 299_999));
      h.processWatermark(t0 + 299_999);
      assertThat(h.extractOutputValues()).singleElement().satisfies(c -> assertThat(c.getRevision()).isZero());
      h.getOutput().clear();

      Candle revisedMinute = oneMinute(t0 + 240_000, "1.9", 2);
      revisedMinute.setRevision(1);
      revisedMinute.setRevisionReason("late trade 7");
      h.processElement(new StreamRecord<>(revisedMinute, t0 + 299_999));
      h.processElement(new StreamRecord<>(oneMinute(t0 + 120_000, "1.4", 5), t0 + 179_999)); // finished late
      assertThat(h.extractOutputValues()).hasSize(2).satisfiesExactly(
          c -> {
            assertThat(c.getRevision()).isEqualTo(1);
            assertThat(c.getClose()).isEqualByComparingTo("1.9");
            assertThat(c.getRevisionReason()).isEqualTo("1m bar 2019-10-11T00:04:00Z was revised: late trade 7");
          },
          c -> {
            assertThat(c.getRevision()).isEqualTo(2);
            assertThat(c.getLow()).isEqualByComparingTo("1.4");
            assertThat(c.getClose()).as("still the latest minute's").isEqualByComparingTo("1.9");
            assertThat(c.getTradeCount()).isEqualTo(4);
            assertThat(c.getRevisionReason()).contains("became final after this bar");
          });

      h.processWatermark(t0 + 299_999 + 120_000);
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();
      h.processElement(new StreamRecord<>(revisedMinute, t0 + 299_999));
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement()
          .satisfies(r -> assertThat(r.getValue().getErrorType()).isEqualTo("LATE"));
    }
  }

  @Test
  void aCoarserBarIsAsHealthyAsItsWorstSubBar() throws Exception {
    long t0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();
    try (var h = harness(new CandleRollup(Timeframe.M1, Timeframe.M5))) {
      for (int m = 0; m < 5; m++) {
        Candle c = oneMinute(t0 + m * 60_000L, "1.5", m + 1);
        c.setFeedHealth(m == 0 ? FeedHealth.UNKNOWN : FeedHealth.HEALTHY);
        h.processElement(new StreamRecord<>(c, t0 + m * 60_000L + 59_999));
      }
      for (int m = 5; m < 10; m++) {
        Candle c = oneMinute(t0 + m * 60_000L, "1.5", m + 1);
        c.setTradeCount(0); // an empty minute: its health counts all the same
        c.setFeedHealth(m == 7 ? FeedHealth.DEGRADED : FeedHealth.HEALTHY);
        h.processElement(new StreamRecord<>(c, t0 + m * 60_000L + 59_999));
      }
      h.processWatermark(t0 + 599_999);
      assertThat(h.extractOutputValues()).extracting(Candle::getFeedHealth)
          .containsExactly(FeedHealth.UNKNOWN, FeedHealth.DEGRADED);
    }
  }

  @Test
  void onlyWholeMultiplesCanBeRolledUp() {
    assertThatThrownBy(() -> new CandleRollup(Timeframe.H4, Timeframe.H1)).hasMessageContaining("cannot be built");
    assertThat(new CandleRollup(Timeframe.M15, Timeframe.H4)).isNotNull();
  }

  private static Candle oneMinute(long open, String price, long offset) {
    var p = new java.math.BigDecimal(price);
    return Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
        .setOpenTime(Instant.ofEpochMilli(open)).setCloseTime(Instant.ofEpochMilli(open + 60_000))
        .setOpen(p).setHigh(p).setLow(p).setClose(p).setVolume(java.math.BigDecimal.ONE)
        .setQuoteVolume(p).setTradeCount(offset == 2 ? 2 : 1).setIsFinal(true).setRevision(0)
        .setEventTime(Instant.ofEpochMilli(open + 1)).setIngestTime(Instant.ofEpochMilli(open + 2))
        .setSource(new dev.tickflow.schemas.event.SourceRange("market_data.raw", 0, offset, offset)).build();
  }

  private static Candle provisional(Candle c) {
    c.setIsFinal(false);
    return c;
  }

  private static <I> KeyedOneInputStreamOperatorTestHarness<String, I, Candle> harness(
      KeyedProcessFunction<String, I, Candle> f) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(f, x -> Trades.TICKER, Types.STRING);
    h.open();
    return h;
  }

  /** Trades through the real aggregator, watermark following event time; candles with their timestamps. */
  private static List<StreamRecord<Candle>> aggregate(CandleAggregator aggregator, List<Trade> trades)
      throws Exception {
    try (var h = harness(aggregator)) {
      for (Trade t : trades) {
        long time = t.getEventTime().toEpochMilli();
        h.processElement(new StreamRecord<>(t, time));
        h.processWatermark(time - 1);
      }
      h.processWatermark(Long.MAX_VALUE);
      return records(h);
    }
  }

  /** Candles into a rollup, each followed by the watermark its producer would have sent. */
  private static List<StreamRecord<Candle>> rollUp(CandleRollup rollup, List<StreamRecord<Candle>> in)
      throws Exception {
    try (var h = harness(rollup)) {
      for (StreamRecord<Candle> r : in) {
        h.processElement(new StreamRecord<>(r.getValue(), r.getTimestamp()));
        h.processWatermark(r.getTimestamp());
      }
      h.processWatermark(Long.MAX_VALUE);
      return records(h);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<StreamRecord<Candle>> records(KeyedOneInputStreamOperatorTestHarness<String, ?, Candle> h) {
    List<StreamRecord<Candle>> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        out.add((StreamRecord<Candle>) r);
      }
    }
    return out;
  }

  private static List<Candle> values(List<StreamRecord<Candle>> records) {
    Map<Long, Candle> byOpen = new TreeMap<>();
    records.forEach(r -> byOpen.put(r.getValue().getOpenTime().toEpochMilli(), r.getValue()));
    return new ArrayList<>(byOpen.values());
  }

  private static List<Trade> sampleTrades() throws Exception {
    BinanceAggTradesCsv reader = new BinanceAggTradesCsv(Ticker.parse(Trades.TICKER));
    List<Trade> trades = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(SampleData.open(SampleData.TRADES),
        StandardCharsets.UTF_8))) {
      long offset = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (reader.isHeader(line)) {
          continue;
        }
        ReadResult.Parsed parsed = (ReadResult.Parsed) reader.read(line, offset, Instant.ofEpochSecond(1_600_000_000));
        long time = parsed.trade().getEventTime().toEpochMilli();
        trades.add(TradeNormalizer.normalize(parsed.trade(),
            new SourceRecord("market_data.raw", 0, offset++, time, time, null, null)));
      }
    }
    return trades;
  }
}
