package dev.tickflow.jobs.marketdata;

import static dev.tickflow.jobs.marketdata.Trades.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.binance.BinanceAggTradesCsv;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CandleAggregatorTest {

  private static final long T0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Candle> harness(Timeframe tf)
      throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CandleAggregator(tf),
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    h.open();
    return h;
  }

  private static void send(KeyedOneInputStreamOperatorTestHarness<String, Trade, Candle> h, Trade t)
      throws Exception {
    h.processElement(new StreamRecord<>(t, t.getEventTime().toEpochMilli()));
  }

  @Test
  void aTradeAtExactlyTheMinuteOpensThatBar() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("1", "10", "1", T0 + 59_999));
      send(h, trade("2", "11", "1", T0 + 60_000));
      h.processWatermark(T0 + 120_000);

      List<Candle> candles = h.extractOutputValues();
      assertThat(candles).extracting(c -> c.getOpenTime().toEpochMilli()).containsExactly(T0, T0 + 60_000);
      assertThat(candles.get(0).getClose()).isEqualByComparingTo("10");
      assertThat(candles.get(1).getOpen()).isEqualByComparingTo("11");
      assertThat(candles.get(1).getCloseTime().toEpochMilli()).isEqualTo(T0 + 120_000);
    }
  }

  @Test
  void openAndCloseFollowExchangeOrderNotArrivalOrder() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("103", "3", "1", T0 + 3000));
      send(h, trade("101", "1", "2", T0 + 1000));
      send(h, trade("104", "4", "1", T0 + 3000)); // same millisecond: the higher id is later
      send(h, trade("102", "0.5", "1", T0 + 2000));
      h.processWatermark(T0 + 59_999);

      Candle c = h.extractOutputValues().get(0);
      assertThat(c.getOpen()).isEqualByComparingTo("1");
      assertThat(c.getClose()).isEqualByComparingTo("4");
      assertThat(c.getHigh()).isEqualByComparingTo("4");
      assertThat(c.getLow()).isEqualByComparingTo("0.5");
      assertThat(c.getVolume()).isEqualByComparingTo("5");
      assertThat(c.getQuoteVolume()).isEqualByComparingTo("9.5"); // 3 + 2 + 4 + 0.5
      assertThat(c.getTradeCount()).isEqualTo(4);
      assertThat(c.getIsFinal()).isTrue();
      assertThat(c.getSource().getFromOffset()).isEqualTo(101);
      assertThat(c.getSource().getToOffset()).isEqualTo(104);
    }
  }

  @Test
  void aBarIsEmittedOnlyWhenTheWatermarkPassesItsEndAndLeavesOnlyTheTickersLastBarBehind() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("1", "10", "1", T0 + 10));
      h.processWatermark(T0 + 59_998);
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.numEventTimeTimers()).isEqualTo(1);

      h.processWatermark(T0 + 59_999);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(h.numEventTimeTimers()).as("the next minute's timer").isEqualTo(1);
      assertThat(h.numKeyedStateEntries()).as("the ticker's last bar, no open bars").isEqualTo(1);

      h.processWatermark(Long.MAX_VALUE); // end of input: no empty minute is invented after it
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void aMinuteWithoutTradesIsFlatAtThePreviousCloseAsBinancePublishesIt() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("1", "10", "1", T0 + 10));
      send(h, trade("2", "12", "2", T0 + 20));
      send(h, trade("3", "11", "1", T0 + 180_500));
      h.processWatermark(T0 + 239_999);

      List<Candle> candles = h.extractOutputValues();
      assertThat(candles).extracting(c -> c.getOpenTime().toEpochMilli())
          .containsExactly(T0, T0 + 60_000, T0 + 120_000, T0 + 180_000);
      for (Candle flat : candles.subList(1, 3)) {
        assertThat(List.of(flat.getOpen(), flat.getHigh(), flat.getLow(), flat.getClose()))
            .allSatisfy(p -> assertThat(p).isEqualByComparingTo("12"));
        assertThat(flat.getVolume()).isZero();
        assertThat(flat.getTradeCount()).isZero();
        assertThat(flat.getIsFinal()).isTrue();
        assertThat(flat.getSource().getToOffset()).isEqualTo(2); // carried over from the bar with trade 2
      }
      assertThat(candles.get(3).getOpen()).isEqualByComparingTo("11");
    }
  }

  @Test
  void aTickerThatStopsTradingStopsProducingBarsAfterTheBound() throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new CandleAggregator(Timeframe.M1, 3),
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    h.open();
    try (h) {
      send(h, trade("1", "10", "1", T0 + 10));
      h.processWatermark(T0 + 3_600_000);
      assertThat(h.extractOutputValues()).hasSize(4); // the traded minute and three empty ones
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void aTradeForAFinalBarIsDeadLetteredAsLateWithTheReason() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("1", "10", "1", T0 + 10));
      h.processWatermark(T0 + 60_500);
      send(h, trade("2", "12", "1", T0 + 20));

      assertThat(h.extractOutputValues()).hasSize(1);
      List<DeadLetter> late = h.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
      assertThat(late).singleElement().satisfies(d -> {
        assertThat(d.getErrorType()).isEqualTo("LATE");
        assertThat(d.getReason()).contains("trade 2").contains("2019-10-11T00:00:00Z");
        assertThat(d.getSourceOffset()).isEqualTo(2);
      });
    }
  }

  @Test
  void takerBuyVolumesAndVwapAreExact() throws Exception {
    try (var h = harness(Timeframe.M1)) {
      send(h, trade("1", "0.00141342", "100", T0 + 10, Side.BUY));
      send(h, trade("2", "0.00141400", "50", T0 + 20, Side.SELL));
      send(h, trade("3", "0.00141500", "7", T0 + 30, Side.UNKNOWN));
      h.processWatermark(T0 + 59_999);

      Candle c = h.extractOutputValues().get(0);
      assertThat(c.getTakerBuyVolume()).isEqualByComparingTo("100");
      assertThat(c.getTakerBuyQuoteVolume()).isEqualByComparingTo("0.141342");
      assertThat(c.getQuoteVolume()).isEqualByComparingTo("0.221947"); // 0.141342 + 0.0707 + 0.009905
      assertThat(c.getVwap()).isEqualTo(new BigDecimal("0.001413675159235669")); // / 157, half-even, 18 places
      assertThat(c.getFeedHealth()).isEqualTo(FeedHealth.UNKNOWN);
    }
  }

  @Test
  void provisionalUpdatesOfAnOpenBarAreThrottledInEventTime() throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new CandleAggregator(Timeframe.M1, Duration.ZERO, Duration.ofMillis(250)), t -> Trades.TICKER, Types.STRING);
    h.open();
    try (h) {
      for (long at : new long[] {10, 100, 300, 400, 700}) {
        send(h, trade(Long.toString(at), "1", "1", T0 + at));
      }
      assertThat(h.extractOutputValues()).allSatisfy(c -> assertThat(c.getIsFinal()).isFalse())
          .extracting(Candle::getTradeCount).containsExactly(1L, 3L, 5L);
      h.getOutput().clear();
      h.processWatermark(T0 + 59_999);
      assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
        assertThat(c.getIsFinal()).isTrue();
        assertThat(c.getTradeCount()).isEqualTo(5);
      });
    }
  }

  @Test
  void aLateTradeRevisesItsBarAndTheEmptyBarsThatCarriedItsClose() throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new CandleAggregator(Timeframe.M1, Duration.ofMinutes(2), Duration.ZERO), t -> Trades.TICKER, Types.STRING);
    h.open();
    try (h) {
      send(h, trade("1", "10", "1", T0 + 10));
      h.processWatermark(T0 + 119_999); // minute 0 final, minute 1 final and empty at 10
      assertThat(h.extractOutputValues()).extracting(Candle::getRevision).containsExactly(0, 0);
      h.getOutput().clear();

      send(h, trade("2", "12", "1", T0 + 30_000));
      assertThat(h.extractOutputValues()).satisfiesExactly(
          c -> {
            assertThat(c.getOpenTime().toEpochMilli()).isEqualTo(T0);
            assertThat(c.getRevision()).isEqualTo(1);
            assertThat(c.getClose()).isEqualByComparingTo("12");
            assertThat(c.getTradeCount()).isEqualTo(2);
            assertThat(c.getRevisionReason()).startsWith("late trade 2 at 2019-10-11T00:00:30Z");
          },
          c -> {
            assertThat(c.getOpenTime().toEpochMilli()).isEqualTo(T0 + 60_000);
            assertThat(c.getRevision()).isEqualTo(1);
            assertThat(c.getClose()).isEqualByComparingTo("12");
            assertThat(c.getTradeCount()).isZero();
            assertThat(c.getRevisionReason()).contains("2019-10-11T00:00:00Z, was revised");
          });
      h.getOutput().clear();

      send(h, trade("3", "11", "2", T0 + 90_000)); // the empty minute now has a trade
      assertThat(h.extractOutputValues()).singleElement().satisfies(c -> {
        assertThat(c.getRevision()).isEqualTo(2);
        assertThat(List.of(c.getOpen(), c.getClose())).allSatisfy(p -> assertThat(p).isEqualByComparingTo("11"));
        assertThat(c.getVolume()).isEqualByComparingTo("2");
      });

      h.processWatermark(Long.MAX_VALUE);
      assertThat(h.numKeyedStateEntries()).as("only the ticker's last bar").isEqualTo(1);
      assertThat(h.numEventTimeTimers()).isZero();
      send(h, trade("4", "9", "1", T0 + 40_000));
      assertThat(h.getSideOutput(DeadLetters.TAG)).singleElement()
          .satisfies(r -> assertThat(r.getValue().getReason()).contains("allowed lateness of PT2M"));
    }
  }

  @Test
  void candlesFromTheBundledBinanceTradesEqualBinancesOwnKlines() throws Exception {
    try (InputStream trades = SampleData.open(SampleData.TRADES)) {
      assertEqualsKlines(trades, Timeframe.M1, BinanceKlines.read(SampleData.open(SampleData.KLINES_1M)), 720);
    }
    try (InputStream trades = SampleData.open(SampleData.TRADES)) {
      assertEqualsKlines(trades, Timeframe.M5, BinanceKlines.read(SampleData.open(SampleData.KLINES_5M)), 144);
    }
  }

  @Test
  void candlesFromTheWholeSharedBinanceSampleEqualItsKlines() throws Exception {
    Path dir = Path.of("../../shared/data/binance-xrpeth-2019");
    Assumptions.assumeTrue(Files.isDirectory(dir), "../shared is not beside this checkout");
    try (InputStream trades = Files.newInputStream(dir.resolve("XRPETH-aggTrades-2019-10-11_to_2019-10-13.csv"))) {
      assertEqualsKlines(trades, Timeframe.M1, BinanceKlines.read(Files.newInputStream(dir.resolve("XRP_ETH-1m.json"))),
          3560);
    }
    try (InputStream trades = Files.newInputStream(dir.resolve("XRPETH-aggTrades-2019-10-11_to_2019-10-13.csv"))) {
      assertEqualsKlines(trades, Timeframe.M5, BinanceKlines.read(Files.newInputStream(dir.resolve("XRP_ETH-5m.json"))),
          712);
    }
  }

  /** Runs recorded trades through the real normalizer and aggregator and compares every bar with a kline. */
  private static void assertEqualsKlines(InputStream csv, Timeframe tf, BinanceKlines klines, int expectedBars)
      throws Exception {
    BinanceAggTradesCsv reader = new BinanceAggTradesCsv(Ticker.parse("BINANCE:XRP/ETH"));
    try (var h = harness(tf);
        BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
      long offset = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (reader.isHeader(line)) {
          continue;
        }
        ReadResult.Parsed parsed = (ReadResult.Parsed) reader.read(line, offset, Instant.EPOCH.plusSeconds(1_600_000_000));
        long time = parsed.trade().getEventTime().toEpochMilli();
        Trade trade = TradeNormalizer.normalize(parsed.trade(),
            new SourceRecord("market_data.raw", 0, offset++, time, time, null, null));
        send(h, trade);
        h.processWatermark(time - 1);
      }
      h.processWatermark(Long.MAX_VALUE);

      Map<Long, Candle> candles = new TreeMap<>();
      h.extractOutputValues().forEach(c -> candles.put(c.getOpenTime().toEpochMilli(), c));
      assertThat(candles).hasSize(expectedBars);
      for (Candle c : candles.values()) {
        BinanceKlines.Kline k = klines.byOpenTime().get(c.getOpenTime().toEpochMilli());
        assertThat(k).as("kline for %s", c.getOpenTime()).isNotNull();
        String bar = tf.label() + " bar " + c.getOpenTime();
        assertThat(c.getOpen()).as(bar + " open").isEqualByComparingTo(k.open());
        assertThat(c.getHigh()).as(bar + " high").isEqualByComparingTo(k.high());
        assertThat(c.getLow()).as(bar + " low").isEqualByComparingTo(k.low());
        assertThat(c.getClose()).as(bar + " close").isEqualByComparingTo(k.close());
        assertThat(c.getVolume()).as(bar + " volume").isEqualByComparingTo(k.volume());
      }
      long first = candles.keySet().iterator().next();
      long last = ((TreeMap<Long, Candle>) candles).lastKey();
      assertThat(candles.keySet()).as("every kline from the first trade's bar to the last, empty ones included")
          .containsExactlyElementsOf(klines.byOpenTime().keySet().stream().filter(t -> t >= first && t <= last).sorted()
              .toList());
      assertThat(candles.values()).filteredOn(c -> c.getTradeCount() == 0)
          .allSatisfy(c -> assertThat(c.getVolume()).isZero());
    }
  }
}
