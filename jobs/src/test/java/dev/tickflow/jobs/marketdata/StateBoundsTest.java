package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The keyed state of the two operators every trade passes stays bounded over a long run: twelve hours of 20
 * tickers trading every second (about 890,000 trades, 5% duplicates, some out of order; two tickers with text ids),
 * with the checkpoint size and timer count of each operator measured every hour. Neither grows with the trades
 * seen: dedup state is a bit per numeric id in its 10,000-id window (64 to an entry, so about 160 entries per
 * ticker) plus an hour of text ids, candle state is the open bars.
 */
class StateBoundsTest {

  private static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
  private static final int TICKERS = 20;
  private static final int HOURS = 12;
  private static final long HOUR = Duration.ofHours(1).toMillis();

  @Test
  void dedupAndCandleStateStopGrowingAfterTheRetentionWindow() throws Exception {
    var dedup = harness(new TickDeduplicator(10_000, HOUR));
    var candles1m = harness(new CandleAggregator(Timeframe.M1));
    var candles1h = harness(new CandleAggregator(Timeframe.H1));
    List<long[]> hourly = new ArrayList<>(); // hour, dedup bytes, dedup timers, 1m bytes, 1m timers, 1h bytes
    Random random = new Random(7);
    long[] nextId = new long[TICKERS];
    long sent = 0;
    try (dedup; candles1m; candles1h) {
      for (long second = 0; second < HOURS * 3600L; second++) {
        long time = T0 + second * 1000;
        for (int t = 0; t < TICKERS; t++) {
          // 3% of the time two trades arrive swapped: out of order within the dedup window
          boolean swapped = random.nextInt(100) < 3;
          long first = nextId[t];
          nextId[t] += swapped ? 2 : 1;
          for (long id : swapped ? new long[] {first + 1, first} : new long[] {first}) {
            StreamRecord<Trade> record = new StreamRecord<>(trade(t, id, time), time);
            sent++;
            dedup.processElement(record);
            if (random.nextInt(100) < 5) {
              dedup.processElement(record); // a duplicate delivery
            }
          }
        }
        if (second % 60 == 59) {
          Watermark watermark = new Watermark(time);
          dedup.processWatermark(watermark);
          for (StreamRecord<? extends Trade> out : drain(dedup)) {
            candles1m.processElement(new StreamRecord<>(out.getValue(), out.getTimestamp()));
            candles1h.processElement(new StreamRecord<>(out.getValue(), out.getTimestamp()));
          }
          candles1m.processWatermark(watermark);
          candles1h.processWatermark(watermark);
          candles1m.getOutput().clear();
          candles1h.getOutput().clear();
        }
        if (second % 3600 == 3599) {
          long hour = second / 3600 + 1;
          hourly.add(new long[] {hour, size(dedup, hour), dedup.numEventTimeTimers(), size(candles1m, hour),
              candles1m.numEventTimeTimers(), size(candles1h, hour)});
        }
      }
    }
    System.out.printf("StateBoundsTest: %,d trades; per hour [hour, dedup bytes, dedup timers, 1m bytes, 1m timers,"
        + " 1h bytes]%n", sent);
    hourly.forEach(h -> System.out.println("  " + java.util.Arrays.toString(h)));

    // the second six hours hold no more than the first six did (10% for where an hour falls on the saw-tooth),
    // though twice as many trades had come by then: state that kept history would have doubled
    for (int column = 1; column <= 5; column++) {
      int c = column;
      long firstHalf = hourly.subList(0, HOURS / 2).stream().mapToLong(h -> h[c]).max().orElseThrow();
      long secondHalf = hourly.subList(HOURS / 2, HOURS).stream().mapToLong(h -> h[c]).max().orElseThrow();
      assertThat(secondHalf).as("column " + c + " in hours 7-12 against hours 1-6").isLessThanOrEqualTo(firstHalf * 11 / 10);
    }
    // and absolutely: the bits of a 10,000-id window, or an hour of text ids, per ticker; a few bars per ticker.
    // (When dedup kept an entry per id this was about 180 KB per ticker: 20x more.)
    long peak = hourly.stream().mapToLong(h -> h[1]).max().orElseThrow();
    assertThat(peak / TICKERS).as("dedup checkpoint bytes per ticker").isLessThan(12_000L);
    assertThat(hourly.stream().mapToLong(h -> h[3]).max().orElseThrow() / TICKERS)
        .as("1m candle checkpoint bytes per ticker").isLessThan(2_000L);
  }

  private static <O> KeyedOneInputStreamOperatorTestHarness<String, Trade, O> harness(
      KeyedProcessFunction<String, Trade, O> function) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(function,
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    h.open();
    return h;
  }

  @SuppressWarnings("unchecked")
  private static List<StreamRecord<? extends Trade>> drain(KeyedOneInputStreamOperatorTestHarness<String, Trade,
      Trade> h) {
    List<StreamRecord<? extends Trade>> records = new ArrayList<>();
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r) {
        records.add((StreamRecord<? extends Trade>) r);
      }
    }
    h.getOutput().clear();
    return records;
  }

  /** The operator's checkpoint size in bytes, as a checkpoint of it would be. */
  private static long size(KeyedOneInputStreamOperatorTestHarness<String, Trade, ?> h, long checkpoint)
      throws Exception {
    return h.snapshot(checkpoint, checkpoint).getStateSize();
  }

  /** Tickers 0 and 1 number trades with text ids (as some venues do); the rest with numbers. */
  private static Trade trade(int ticker, long id, long time) {
    String tradeId = ticker < 2 ? "t-" + Long.toHexString(id) : Long.toString(id);
    return Trade.newBuilder().setExchange("SYNTH").setBase("C" + ticker).setQuote("USD").setTradeId(tradeId)
        .setPrice(Decimals.parse("100." + (id % 97))).setAmount(Decimals.parse("0.5"))
        .setSide(id % 2 == 0 ? Side.BUY : Side.SELL).setEventTime(Instant.ofEpochMilli(time))
        .setIngestTime(Instant.ofEpochMilli(time)).setSource(new SourceRange("market_data.raw", 0, id, id)).build();
  }
}
