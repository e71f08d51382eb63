package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Builds OHLC candles of one timeframe from a ticker's trades, in event time. A bar {@code [t, t + length)}
 * is emitted, final, once the watermark passes its end.
 *
 * <p>While a bar is open, a provisional candle ({@code isFinal = false}) goes out with the first trade and then
 * at most once per {@code provisionalInterval} of event time (the throttle uses trade time, not the wall clock,
 * so a replay emits the same updates). A final bar stays in state for {@code allowedLateness}: a trade arriving
 * for it in that time produces a revised candle (revision + 1, with the reason), and the empty bars that carried
 * its close forward are revised with it. A trade later than that goes to the dead-letter side output. Once the
 * lateness has passed, the bar's state and timers are gone.
 *
 * <p>A bar nobody traded in is emitted flat at the previous close with zero volume, as Binance publishes its
 * klines: each emitted bar arms a timer for the next one. The run of empty bars is bounded ({@code maxFlatRun},
 * one day by default) so a ticker that stopped trading stops producing bars, and no empty bar is invented at
 * the end of a bounded input (watermark at its maximum). The ticker's last bar is the only state kept between
 * bars.
 */
public final class CandleAggregator extends KeyedProcessFunction<String, Trade, Candle>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/candles";

  private final Timeframe timeframe;
  private final int maxFlatRun;
  private final long allowedLateness;
  private final long provisionalInterval;

  private transient MapState<Long, BarAccumulator> bars;
  private transient ValueState<BarAccumulator> lastBar;
  private final WatermarkMemory watermarks;
  private transient EventCodec<Trade> tradeCodec;
  private transient Counter flat;
  private transient Counter late;
  private transient Counter emitted;
  private transient Counter revised;
  private transient Counter provisional;

  /** Final bars only, no lateness: what a bounded run over a file needs. */
  public CandleAggregator(Timeframe timeframe) {
    this(timeframe, defaultMaxFlatRun(timeframe), Duration.ZERO, Duration.ZERO);
  }

  /** @param maxFlatRun how many empty bars in a row are emitted after a traded one */
  public CandleAggregator(Timeframe timeframe, int maxFlatRun) {
    this(timeframe, maxFlatRun, Duration.ZERO, Duration.ZERO);
  }

  /**
   * @param allowedLateness how long after a bar's end a trade still revises it
   * @param provisionalInterval event time between provisional updates of an open bar; zero: none
   */
  public CandleAggregator(Timeframe timeframe, Duration allowedLateness, Duration provisionalInterval) {
    this(timeframe, defaultMaxFlatRun(timeframe), allowedLateness, provisionalInterval);
  }

  CandleAggregator(Timeframe timeframe, int maxFlatRun, Duration allowedLateness, Duration provisionalInterval) {
    if (allowedLateness.isNegative() || provisionalInterval.isNegative()) {
      throw new IllegalArgumentException("allowed lateness and provisional interval cannot be negative");
    }
    this.timeframe = timeframe;
    this.maxFlatRun = maxFlatRun;
    this.allowedLateness = allowedLateness.toMillis();
    this.watermarks = new WatermarkMemory("candles-watermark-" + timeframe.label());
    this.provisionalInterval = provisionalInterval.toMillis();
  }

  private static int defaultMaxFlatRun(Timeframe timeframe) {
    return (int) Math.max(1, Duration.ofDays(1).toMillis() / timeframe.millis());
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    watermarks.initialize(context);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    watermarks.snapshot(context);
  }

  @Override
  public void open(OpenContext openContext) {
    bars = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "candles-open-bars-" + timeframe.label(), Types.LONG, FlinkTypes.of(BarAccumulator.class)));
    lastBar = getRuntimeContext().getState(new ValueStateDescriptor<>(
        "candles-last-bar-" + timeframe.label(), FlinkTypes.of(BarAccumulator.class)));
    tradeCodec = EventTypes.codec(Trade.class);
    var metrics = getRuntimeContext().getMetricGroup();
    flat = metrics.counter("flatCandlesEmitted");
    late = metrics.counter("lateTrades");
    emitted = metrics.counter("candlesEmitted");
    revised = metrics.counter("candlesRevised");
    provisional = metrics.counter("provisionalCandlesEmitted");
  }

  @Override
  public void processElement(Trade trade, Context ctx, Collector<Candle> out) throws Exception {
    long time = trade.getEventTime().toEpochMilli();
    long openTime = timeframe.barOpen(time);
    long lastMilli = openTime + timeframe.millis() - 1;
    long watermark = watermarks.current(ctx.timerService().currentWatermark());
    if (lastMilli + allowedLateness <= watermark) {
      late.inc();
      ctx.output(DeadLetters.TAG, lateTrade(trade, ctx.getCurrentKey(), openTime, watermark));
      return;
    }
    BarAccumulator bar = bars.get(openTime);
    if (lastMilli <= watermark || (bar != null && bar.emitted)) {
      revise(trade, openTime, watermark, ctx, out);
      return;
    }
    if (bar == null) {
      bar = BarAccumulator.first(trade, openTime);
      ctx.timerService().registerEventTimeTimer(lastMilli);
    } else {
      bar.add(trade);
    }
    if (provisionalInterval > 0 && (bar.lastProvisional < 0 || time - bar.lastProvisional >= provisionalInterval)) {
      bar.lastProvisional = time;
      out.collect(bar.toProvisional(timeframe));
      provisional.inc();
    }
    bars.put(openTime, bar);
  }

  /** A trade for a bar that is final but still within the allowed lateness. */
  private void revise(Trade trade, long openTime, long watermark, Context ctx, Collector<Candle> out)
      throws Exception {
    BarAccumulator old = bars.get(openTime);
    BarAccumulator bar;
    if (old == null) { // never emitted (before the ticker's first bar, or past its run of empty bars)
      bar = BarAccumulator.first(trade, openTime);
      ctx.timerService().registerEventTimeTimer(openTime + timeframe.millis() - 1 + allowedLateness);
    } else if (old.tradeCount == 0) { // an empty bar that now has a trade is what that trade makes it
      bar = BarAccumulator.first(trade, openTime);
      bar.revision = old.revision + 1;
    } else {
      bar = old;
      bar.add(trade);
      bar.revision++;
    }
    bar.emitted = true;
    bar.revisionReason = bar.revision == 0 ? null : "late trade " + trade.getTradeId() + " at "
        + trade.getEventTime() + " arrived after the watermark reached " + Instant.ofEpochMilli(watermark);
    bars.put(openTime, bar);
    out.collect(bar.toCandle(timeframe));
    (bar.revision == 0 ? emitted : revised).inc();

    BarAccumulator last = lastBar.value();
    if (last == null || last.openTime <= openTime) {
      lastBar.update(bar);
    }
    reviseCarriedCloses(bar, out);
  }

  /** Empty bars after a revised one carried its old close forward: revise them while they are in state. */
  private void reviseCarriedCloses(BarAccumulator revisedBar, Collector<Candle> out) throws Exception {
    BarAccumulator prev = revisedBar;
    BarAccumulator last = lastBar.value();
    for (long t = prev.openTime + timeframe.millis(); ; t += timeframe.millis()) {
      BarAccumulator next = bars.get(t);
      if (next == null || !next.emitted || next.tradeCount > 0 || next.close.compareTo(prev.close) == 0) {
        return;
      }
      BarAccumulator carried = BarAccumulator.flatAfter(prev, t);
      carried.emitted = true;
      carried.revision = next.revision + 1;
      carried.revisionReason = "the close it carries forward, of the bar opening "
          + Instant.ofEpochMilli(revisedBar.openTime) + ", was revised";
      bars.put(t, carried);
      out.collect(carried.toCandle(timeframe));
      revised.inc();
      if (last != null && last.openTime == t) {
        lastBar.update(carried);
      }
      prev = carried;
    }
  }

  /**
   * A timer at the last millisecond of a bar makes that bar final; with an allowed lateness, the same instant
   * can also be when an earlier bar's revision window closes. Both are handled here.
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    emitFinal(timestamp, ctx, out);
    if (allowedLateness > 0) {
      long expiredOpen = timestamp + 1 - timeframe.millis() - allowedLateness;
      BarAccumulator expired = bars.get(expiredOpen);
      if (expired != null && expired.emitted) {
        bars.remove(expiredOpen);
      }
    }
  }

  private void emitFinal(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    long openTime = timestamp + 1 - timeframe.millis();
    long watermark = watermarks.current(ctx.timerService().currentWatermark());
    if (timeframe.barOpen(openTime) != openTime) {
      return; // only a revision window closes at this instant
    }
    BarAccumulator bar = bars.get(openTime);
    if (bar != null && bar.emitted) {
      return;
    }
    if (bar == null) {
      BarAccumulator prev = lastBar.value();
      if (prev == null || prev.openTime + timeframe.millis() != openTime || prev.flatRun >= maxFlatRun
          || watermark == Long.MAX_VALUE) {
        return; // nothing to carry over, the run of empty bars is over, or the input ended
      }
      bar = BarAccumulator.flatAfter(prev, openTime);
      flat.inc();
    }
    bar.emitted = true;
    out.collect(bar.toCandle(timeframe));
    emitted.inc();
    lastBar.update(bar);
    if (allowedLateness > 0) {
      bars.put(openTime, bar);
      ctx.timerService().registerEventTimeTimer(timestamp + allowedLateness);
    } else {
      bars.remove(openTime);
    }
    if (bar.flatRun < maxFlatRun && watermark != Long.MAX_VALUE) {
      ctx.timerService().registerEventTimeTimer(timestamp + timeframe.millis()); // the next bar, traded or not
    }
  }

  private DeadLetter lateTrade(Trade trade, String ticker, long openTime, long watermark) {
    var src = trade.getSource();
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(tradeCodec.encode(trade)))
        .setKey(ByteBuffer.wrap(ticker.getBytes(StandardCharsets.UTF_8)))
        .setReason("trade " + trade.getTradeId() + " at " + trade.getEventTime() + " is for the " + timeframe.label()
            + " bar opening " + Instant.ofEpochMilli(openTime) + ", which was final when the watermark reached "
            + Instant.ofEpochMilli(watermark) + " and past its allowed lateness of " + Duration.ofMillis(allowedLateness))
        .setErrorType("LATE")
        .setStage(STAGE)
        .setSourceTopic(src.getTopic())
        .setSourcePartition(src.getPartition())
        .setSourceOffset(src.getFromOffset())
        .setEventTime(trade.getEventTime())
        .setIngestTime(trade.getIngestTime())
        .build();
  }
}
