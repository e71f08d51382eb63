package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rolls a ticker's candles of one timeframe up into a coarser one (1m into 5m, 5m into 15m, ... 4h into 1d)
 * instead of aggregating trades again: the result is exactly what aggregating the trades directly would give
 * (open of the earliest sub-bar, close of the latest, exact sums). The rollup keeps the few final sub-bars of each
 * open coarser bar (at most six: 1d from 4h) and folds them when it needs the bar, so a revised sub-bar simply
 * replaces its predecessor.
 *
 * <p>A coarser bar is emitted, final, when the watermark passes its end. A provisional sub-bar yields a
 * provisional coarser bar (the final sub-bars so far plus that one; it is throttled upstream). A final sub-bar
 * for a coarser bar already emitted (a revision, or a bar finished late) yields a revised coarser bar, until
 * {@code allowedLateness} after its end; after that it is dead-lettered as late, and the coarser bar's state and
 * timers are gone.
 *
 * <p>{@linkplain #CandleRollup(Timeframe, Timeframe, Duration, boolean) Forwarding} rollups also pass on every candle
 * they receive, before anything it yields. Chained one after another, the last one's output is then every
 * timeframe in one stream: the job's candle sinks chain to it, where a union of the timeframes could not be chained
 * to and took every candle across one more network exchange (a buffer timeout of latency on every update).
 */
public final class CandleRollup extends KeyedProcessFunction<String, Candle, Candle>
    implements CheckpointedFunction {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/rollup";

  private final Timeframe from;
  private final Timeframe to;
  private final long allowedLateness;
  private final boolean forwardsInput;

  /** Final sub-bars by their open time. */
  private transient MapState<Long, RollupAccumulator> subBars;
  /** Revision last emitted for each coarser bar that is final but may still be revised. */
  private transient MapState<Long, Integer> emittedRevisions;
  private final WatermarkMemory watermarks;
  private transient EventCodec<Candle> candleCodec;
  private transient Counter late;
  private transient Counter revised;

  public CandleRollup(Timeframe from, Timeframe to) {
    this(from, to, Duration.ZERO);
  }

  /** @param allowedLateness how long after a coarser bar's end a late or revised sub-bar still revises it */
  public CandleRollup(Timeframe from, Timeframe to, Duration allowedLateness) {
    this(from, to, allowedLateness, false);
  }

  /**
   * @param allowedLateness how long after a coarser bar's end a late or revised sub-bar still revises it
   * @param forwardsInput whether every candle received is also emitted, unchanged and first
   */
  public CandleRollup(Timeframe from, Timeframe to, Duration allowedLateness, boolean forwardsInput) {
    if (to.millis() <= from.millis() || to.millis() % from.millis() != 0) {
      throw new IllegalArgumentException(to.label() + " bars cannot be built from " + from.label() + " bars");
    }
    if (allowedLateness.isNegative()) {
      throw new IllegalArgumentException("allowed lateness cannot be negative");
    }
    this.from = from;
    this.to = to;
    this.allowedLateness = allowedLateness.toMillis();
    this.forwardsInput = forwardsInput;
    this.watermarks = new WatermarkMemory("rollup-watermark-" + to.label());
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
    subBars = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "rollup-sub-bars-" + to.label(), Types.LONG, FlinkTypes.of(RollupAccumulator.class)));
    emittedRevisions = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "rollup-emitted-revisions-" + to.label(), Types.LONG, Types.INT));
    candleCodec = EventTypes.codec(Candle.class);
    late = getRuntimeContext().getMetricGroup().counter("lateCandles");
    revised = getRuntimeContext().getMetricGroup().counter("candlesRevised");
  }

  @Override
  public void processElement(Candle c, Context ctx, Collector<Candle> out) throws Exception {
    if (forwardsInput) {
      out.collect(c);
    }
    if (!c.getTimeframe().equals(from.label())) {
      return;
    }
    long subOpen = c.getOpenTime().toEpochMilli();
    long openTime = to.barOpen(subOpen);
    long lastMilli = openTime + to.millis() - 1;
    long watermark = watermarks.current(ctx.timerService().currentWatermark());
    if (!c.getIsFinal()) {
      if (lastMilli > watermark) {
        out.collect(fold(openTime, RollupAccumulator.of(c, subOpen)).toCandle(to, false, 0, null));
      }
      return;
    }
    if (lastMilli + allowedLateness <= watermark) {
      late.inc();
      ctx.output(DeadLetters.TAG, lateCandle(c, openTime, watermark));
      return;
    }
    subBars.put(subOpen, RollupAccumulator.of(c, subOpen));
    Integer previous = emittedRevisions.get(openTime);
    if (lastMilli > watermark && previous == null) {
      ctx.timerService().registerEventTimeTimer(lastMilli);
      return;
    }
    int revision = previous == null ? 0 : previous + 1;
    String reason = previous == null ? null : c.getRevision() > 0
        ? from.label() + " bar " + c.getOpenTime() + " was revised: " + c.getRevisionReason()
        : from.label() + " bar " + c.getOpenTime() + " became final after this bar";
    out.collect(fold(openTime, null).toCandle(to, true, revision, reason));
    emittedRevisions.put(openTime, revision);
    if (previous == null) {
      ctx.timerService().registerEventTimeTimer(lastMilli + allowedLateness);
    } else {
      revised.inc();
    }
  }

  /**
   * A timer at the last millisecond of a coarser bar makes it final; with an allowed lateness, the same instant
   * can also end an earlier bar's revision window. Both are handled here.
   */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    long openTime = timestamp + 1 - to.millis();
    boolean barEnd = to.barOpen(openTime) == openTime; // else only a revision window closes now
    if (barEnd && !emittedRevisions.contains(openTime)) {
      RollupAccumulator bar = fold(openTime, null);
      if (bar != null) {
        out.collect(bar.toCandle(to, true, 0, null));
        if (allowedLateness > 0) {
          emittedRevisions.put(openTime, 0);
          ctx.timerService().registerEventTimeTimer(timestamp + allowedLateness);
        } else {
          forget(openTime);
        }
      }
    }
    if (allowedLateness > 0) {
      long expiredOpen = openTime - allowedLateness;
      if (emittedRevisions.contains(expiredOpen)) {
        emittedRevisions.remove(expiredOpen);
        forget(expiredOpen);
      }
    }
  }

  /** The coarser bar from its sub-bars in open-time order, {@code override} in place of a stored one; null if none. */
  private RollupAccumulator fold(long openTime, RollupAccumulator override) throws Exception {
    RollupAccumulator bar = null;
    for (long t = openTime; t < openTime + to.millis(); t += from.millis()) {
      RollupAccumulator sub = override != null && override.firstSubOpen == t ? override : subBars.get(t);
      if (sub != null) {
        if (bar == null) {
          bar = sub.startOf(openTime);
        } else {
          bar.add(sub);
        }
      }
    }
    return bar;
  }

  private void forget(long openTime) throws Exception {
    for (long t = openTime; t < openTime + to.millis(); t += from.millis()) {
      subBars.remove(t);
    }
  }

  private DeadLetter lateCandle(Candle c, long openTime, long watermark) {
    String ticker = Ticker.key(c.getExchange(), c.getBase(), c.getQuote());
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(candleCodec.encode(c)))
        .setKey(ByteBuffer.wrap(ticker.getBytes(StandardCharsets.UTF_8)))
        .setReason(from.label() + " bar " + c.getOpenTime() + " arrived after the " + to.label() + " bar opening "
            + Instant.ofEpochMilli(openTime) + " was final (watermark " + Instant.ofEpochMilli(watermark) + ")")
        .setErrorType("LATE")
        .setStage(STAGE)
        .setSourceTopic(c.getSource().getTopic())
        .setSourcePartition(c.getSource().getPartition())
        .setSourceOffset(c.getSource().getFromOffset())
        .setEventTime(c.getEventTime())
        .setIngestTime(c.getIngestTime())
        .build();
  }
}
