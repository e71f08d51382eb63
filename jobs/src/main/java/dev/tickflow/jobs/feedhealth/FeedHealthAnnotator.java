package dev.tickflow.jobs.feedhealth;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Says of every final bar of the base timeframe whether its ticker's feed was healthy for the bar's whole
 * interval, so that "no trades because the market was quiet" can be told from "no trades because the feed was
 * down". Keyed by ticker; input 1 is candles, input 2 the feed's heartbeats and gaps.
 *
 * <p>A bar {@code [s, e)} is
 * <ul>
 *   <li>{@link FeedHealth#UNKNOWN} when no heartbeat for the ticker had been seen by {@code s} (a file run,
 *       ingestors that do not heartbeat, or the first bar after one started);
 *   <li>{@link FeedHealth#DEGRADED} when connected heartbeats do not cover it (one at or before {@code s} and then
 *       none further apart than {@code heartbeatTimeout}, the last within it of {@code e}), when a heartbeat in it
 *       says disconnected (with redundant ingestors, any one saying so), or when a gap that was not repaired
 *       overlaps it;
 *   <li>{@link FeedHealth#HEALTHY} otherwise.
 * </ul>
 * A final bar waits until the watermark of both inputs passes its end, so every heartbeat of its interval is in;
 * provisional bars pass through as they are, and revisions are judged at once with what is known. Heartbeats and
 * gaps are kept only as far back as a revision can reach: allowed lateness plus a bar plus the timeout.
 */
public final class FeedHealthAnnotator extends KeyedCoProcessFunction<String, Candle, FeedSignal, Candle> {

  private static final long serialVersionUID = 1L;

  private final Timeframe timeframe;
  private final long heartbeatTimeout;
  private final long retention;

  private transient MapState<Long, Boolean> heartbeats;
  private transient MapState<Long, Long> unrepairedGaps;
  private transient ValueState<Long> firstHeartbeat;
  private transient MapState<Long, Candle> waiting;
  private transient Counter degraded;

  public FeedHealthAnnotator(Timeframe timeframe, Duration heartbeatTimeout, Duration allowedLateness) {
    this.timeframe = timeframe;
    this.heartbeatTimeout = heartbeatTimeout.toMillis();
    this.retention = allowedLateness.toMillis() + timeframe.millis() + this.heartbeatTimeout;
  }

  @Override
  public void open(OpenContext openContext) {
    heartbeats = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "feed-health-heartbeats", Types.LONG, Types.BOOLEAN));
    unrepairedGaps = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "feed-health-unrepaired-gaps", Types.LONG, Types.LONG));
    firstHeartbeat = getRuntimeContext().getState(new ValueStateDescriptor<>(
        "feed-health-first-heartbeat", Types.LONG));
    waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "feed-health-waiting-bars", Types.LONG, FlinkTypes.of(Candle.class)));
    degraded = getRuntimeContext().getMetricGroup().counter("degradedBars");
  }

  @Override
  public void processElement1(Candle candle, Context ctx, Collector<Candle> out) throws Exception {
    if (!candle.getIsFinal()) {
      out.collect(candle);
      return;
    }
    long openTime = candle.getOpenTime().toEpochMilli();
    if (candle.getRevision() > 0) {
      Candle earlier = waiting.get(openTime);
      if (earlier != null) {
        waiting.remove(openTime);
        out.collect(annotated(earlier));
      }
      out.collect(annotated(candle));
      return;
    }
    long lastMilli = candle.getCloseTime().toEpochMilli() - 1;
    if (lastMilli <= ctx.timerService().currentWatermark()) {
      out.collect(annotated(candle));
    } else {
      waiting.put(openTime, candle);
      ctx.timerService().registerEventTimeTimer(lastMilli);
    }
  }

  @Override
  public void processElement2(FeedSignal signal, Context ctx, Collector<Candle> out) throws Exception {
    if (signal.heartbeat) {
      Boolean before = heartbeats.get(signal.time);
      heartbeats.put(signal.time, signal.connected && (before == null || before));
      Long first = firstHeartbeat.value();
      if (first == null || signal.time < first) {
        firstHeartbeat.update(signal.time);
      }
    } else if (!signal.repaired) {
      Long to = unrepairedGaps.get(signal.gapFrom);
      unrepairedGaps.put(signal.gapFrom, to == null ? signal.gapTo : Math.max(to, signal.gapTo));
    }
    forgetOlderThanRetention(ctx.timerService().currentWatermark());
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    long openTime = timestamp + 1 - timeframe.millis();
    Candle candle = waiting.get(openTime);
    if (candle != null) {
      waiting.remove(openTime);
      out.collect(annotated(candle));
    }
    forgetOlderThanRetention(ctx.timerService().currentWatermark());
  }

  private Candle annotated(Candle candle) throws Exception {
    FeedHealth health = judge(candle.getOpenTime().toEpochMilli(), candle.getCloseTime().toEpochMilli());
    if (health == FeedHealth.DEGRADED) {
      degraded.inc();
    }
    return Candle.newBuilder(candle).setFeedHealth(health).build();
  }

  /** The rules of the class comment, for the bar {@code [start, end)}. */
  FeedHealth judge(long start, long end) throws Exception {
    Long first = firstHeartbeat.value();
    if (first == null || first > start) {
      return FeedHealth.UNKNOWN;
    }
    for (Map.Entry<Long, Long> gap : unrepairedGaps.entries()) {
      if (gap.getKey() < end && gap.getValue() >= start) {
        return FeedHealth.DEGRADED;
      }
    }
    TreeMap<Long, Boolean> beats = new TreeMap<>();
    for (Map.Entry<Long, Boolean> beat : heartbeats.entries()) {
      if (beat.getKey() >= start - heartbeatTimeout && beat.getKey() < end) {
        beats.put(beat.getKey(), beat.getValue());
      }
    }
    Long previous = null;
    for (Map.Entry<Long, Boolean> beat : beats.entrySet()) {
      long t = beat.getKey();
      if (!beat.getValue()) {
        if (t >= start) {
          return FeedHealth.DEGRADED; // someone said the connection was down during the bar
        }
        continue;
      }
      if (previous == null ? t > start : t - previous > heartbeatTimeout) {
        return FeedHealth.DEGRADED;
      }
      previous = t;
    }
    return previous == null || end - previous > heartbeatTimeout ? FeedHealth.DEGRADED : FeedHealth.HEALTHY;
  }

  private void forgetOlderThanRetention(long watermark) throws Exception {
    if (watermark < Long.MIN_VALUE + retention) {
      return; // no watermark yet
    }
    long horizon = watermark - retention;
    List<Long> old = new ArrayList<>();
    for (Iterator<Long> it = heartbeats.keys().iterator(); it.hasNext(); ) {
      long t = it.next();
      if (t < horizon) {
        old.add(t);
      }
    }
    for (long t : old) {
      heartbeats.remove(t);
    }
    old.clear();
    for (Map.Entry<Long, Long> gap : unrepairedGaps.entries()) {
      if (gap.getValue() < horizon) {
        old.add(gap.getKey());
      }
    }
    for (long t : old) {
      unrepairedGaps.remove(t);
    }
  }
}
