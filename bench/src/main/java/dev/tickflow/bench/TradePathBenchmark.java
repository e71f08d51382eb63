package dev.tickflow.bench;

import dev.tickflow.jobs.marketdata.CandleAggregator;
import dev.tickflow.jobs.marketdata.TickDeduplicator;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-trade work of the market-data job's two keyed operators, each as Flink runs it (keyed heap state,
 * event-time timers, one watermark a minute) through Flink's operator test harness, beside the loop one would
 * write without Flink: {@link TickDeduplicator} against a {@code HashSet} of every id per ticker (exact too, but
 * its memory grows with every trade ever seen), and {@link CandleAggregator} 1m against a {@code HashMap} of
 * open bars folding price and volume with the same {@code BigDecimal} arithmetic (no provenance, VWAP, taker
 * volumes, provisional updates or revisions). Input: 100,000 trades over 20 tickers, 5% delivered twice.
 * Score: trades per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TradePathBenchmark {

  static final int TRADES = 100_000;
  private static final int TICKERS = 20;
  private static final long MINUTE = 60_000;

  private List<Trade> deliveries;
  private List<Trade> unique;
  private KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> dedup;
  private KeyedOneInputStreamOperatorTestHarness<String, Trade, ?> candles;

  @Setup(Level.Trial)
  public void input() {
    Random random = new Random(3);
    deliveries = new ArrayList<>();
    unique = new ArrayList<>();
    long[] price = new long[TICKERS];
    java.util.Arrays.fill(price, 141_342);
    long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < TRADES; i++) {
      int t = random.nextInt(TICKERS);
      price[t] = Math.max(1, price[t] + random.nextInt(21) - 10);
      Trade trade = Trade.newBuilder().setExchange("SYNTH").setBase(String.format("S%03d", t)).setQuote("USD")
          .setTradeId(Long.toString(1_000_000L + i)).setPrice(Decimals.exact(BigDecimal.valueOf(price[t], 8)))
          .setAmount(Decimals.exact(BigDecimal.valueOf(1 + random.nextInt(100_000), 4)))
          .setSide(random.nextBoolean() ? Side.BUY : Side.SELL)
          .setEventTime(Instant.ofEpochMilli(start + 50L * i)).setIngestTime(Instant.ofEpochMilli(start + 50L * i))
          .setSource(new SourceRange("market_data.raw", 0, (long) i, (long) i)).build();
      unique.add(trade);
      deliveries.add(trade);
      if (random.nextInt(100) < 5) {
        deliveries.add(trade);
      }
    }
  }

  @Setup(Level.Invocation)
  public void operators() throws Exception {
    dedup = harness(new TickDeduplicator(10_000, Duration.ofHours(1).toMillis()));
    candles = harness(new CandleAggregator(Timeframe.M1, Duration.ofMinutes(2), Duration.ofMillis(250)));
  }

  @TearDown(Level.Invocation)
  public void close() throws Exception {
    dedup.close();
    candles.close();
  }

  @Benchmark
  @OperationsPerInvocation(TRADES)
  public int tickDeduplicator() throws Exception {
    long nextWatermark = deliveries.get(0).getEventTime().toEpochMilli() + MINUTE;
    for (Trade t : deliveries) {
      long time = t.getEventTime().toEpochMilli();
      if (time >= nextWatermark) {
        dedup.processWatermark(new Watermark(nextWatermark - 1));
        dedup.getOutput().clear();
        nextWatermark += MINUTE;
      }
      dedup.processElement(new StreamRecord<>(t, time));
    }
    int out = dedup.getOutput().size();
    dedup.getOutput().clear();
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(TRADES)
  public int dedupHashSetPeer() {
    Map<String, Set<String>> seen = new HashMap<>();
    int out = 0;
    for (Trade t : deliveries) {
      if (seen.computeIfAbsent(t.getBase(), k -> new HashSet<>()).add(t.getTradeId())) {
        out++;
      }
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(TRADES)
  public int candleAggregator1m() throws Exception {
    long nextWatermark = unique.get(0).getEventTime().toEpochMilli() + MINUTE;
    int bars = 0;
    for (Trade t : unique) {
      long time = t.getEventTime().toEpochMilli();
      if (time >= nextWatermark) {
        candles.processWatermark(new Watermark(nextWatermark - 1));
        bars += candles.getOutput().size();
        candles.getOutput().clear();
        nextWatermark += MINUTE;
      }
      candles.processElement(new StreamRecord<>(t, time));
    }
    candles.processWatermark(new Watermark(Long.MAX_VALUE));
    bars += candles.getOutput().size();
    candles.getOutput().clear();
    return bars;
  }

  @Benchmark
  @OperationsPerInvocation(TRADES)
  public void barLoopPeer(Blackhole bh) {
    Map<String, BigDecimal[]> open = new HashMap<>();
    Map<String, Long> openMinute = new HashMap<>();
    for (Trade t : unique) {
      long minute = t.getEventTime().toEpochMilli() / MINUTE;
      String key = t.getBase();
      BigDecimal[] bar = open.get(key);
      if (bar == null || openMinute.get(key) != minute) {
        if (bar != null) {
          bh.consume(bar);
        }
        bar = new BigDecimal[] {t.getPrice(), t.getPrice(), t.getPrice(), t.getPrice(), t.getAmount()};
        open.put(key, bar);
        openMinute.put(key, minute);
      } else {
        bar[1] = bar[1].max(t.getPrice());
        bar[2] = bar[2].min(t.getPrice());
        bar[3] = t.getPrice();
        bar[4] = bar[4].add(t.getAmount());
      }
    }
    open.values().forEach(bh::consume);
  }

  private static <O> KeyedOneInputStreamOperatorTestHarness<String, Trade, O> harness(
      KeyedProcessFunction<String, Trade, O> function) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(function,
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    h.open();
    return h;
  }
}
