package dev.tickflow.jobs.marketdata;

import dev.tickflow.schemas.event.Trade;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeated trades of a ticker by the venue's trade id; the first copy wins. Copies come from producer
 * retries, redundant ingestors and replays of a range already ingested.
 *
 * <p>State is bounded. For numeric ids (most venues number trades in order) it is a per-ticker high-water mark
 * plus the set of ids within {@code window} below it: an id above the mark is new, an id in the window is new
 * unless seen, an id further below is taken as seen. So out-of-order arrival within {@code window} ids is
 * exact, and a whole replay of old data is dropped without remembering every id. Other ids are remembered for
 * {@code textIdRetentionMillis} of event time.
 */
public final class TickDeduplicator extends KeyedProcessFunction<String, Trade, Trade> {

  private static final long serialVersionUID = 1L;
  /** Text-id expiry timers are rounded up to this, so a busy ticker sets one timer a minute, not one a trade. */
  private static final long TIMER_GRANULARITY_MILLIS = 60_000;

  private final long window;
  private final long textIdRetentionMillis;

  private transient ValueState<Long> highWaterMark;
  private transient MapState<Long, Boolean> recentIds;
  private transient ValueState<Long> recentCount;
  private transient MapState<String, Long> textIds;
  private transient Counter duplicates;

  public TickDeduplicator(long window, long textIdRetentionMillis) {
    if (window <= 0 || textIdRetentionMillis <= 0) {
      throw new IllegalArgumentException("window and retention must be positive");
    }
    this.window = window;
    this.textIdRetentionMillis = textIdRetentionMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    highWaterMark = getRuntimeContext().getState(new ValueStateDescriptor<>("dedup-high-water-mark", Types.LONG));
    recentIds = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("dedup-recent-ids", Types.LONG, Types.BOOLEAN));
    recentCount = getRuntimeContext().getState(new ValueStateDescriptor<>("dedup-recent-count", Types.LONG));
    textIds = getRuntimeContext().getMapState(new MapStateDescriptor<>("dedup-text-ids", Types.STRING, Types.LONG));
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
  }

  @Override
  public void processElement(Trade trade, Context ctx, Collector<Trade> out) throws Exception {
    Long id = numericId(trade.getTradeId());
    boolean fresh = id != null ? firstSightOf(id) : firstSightOf(trade.getTradeId(), trade, ctx);
    if (fresh) {
      out.collect(trade);
    } else {
      duplicates.inc();
    }
  }

  private boolean firstSightOf(long id) throws Exception {
    Long mark = highWaterMark.value();
    if (mark != null && id <= mark && (id <= mark - window || recentIds.contains(id))) {
      return false;
    }
    recentIds.put(id, Boolean.TRUE);
    long count = recentCount.value() == null ? 1 : recentCount.value() + 1;
    if (mark == null || id > mark) {
      mark = id;
      highWaterMark.update(id);
    }
    if (count > 2 * window) {
      count = prune(mark - window);
    }
    recentCount.update(count);
    return true;
  }

  /** Forgets ids at or below {@code floor}: the high-water mark answers for them now. Returns what is left. */
  private long prune(long floor) throws Exception {
    List<Long> old = new ArrayList<>();
    long left = 0;
    for (Long id : recentIds.keys()) {
      if (id <= floor) {
        old.add(id);
      } else {
        left++;
      }
    }
    for (Long id : old) {
      recentIds.remove(id);
    }
    return left;
  }

  private boolean firstSightOf(String id, Trade trade, Context ctx) throws Exception {
    if (textIds.contains(id)) {
      return false;
    }
    long eventTime = trade.getEventTime().toEpochMilli();
    textIds.put(id, eventTime);
    long expiry = eventTime + textIdRetentionMillis;
    ctx.timerService().registerEventTimeTimer(
        Math.floorDiv(expiry + TIMER_GRANULARITY_MILLIS - 1, TIMER_GRANULARITY_MILLIS) * TIMER_GRANULARITY_MILLIS);
    return true;
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Trade> out) throws Exception {
    Iterator<Map.Entry<String, Long>> it = textIds.iterator();
    while (it.hasNext()) {
      if (it.next().getValue() + textIdRetentionMillis <= timestamp) {
        it.remove();
      }
    }
  }

  /** The id as a number if it is a plain non-negative integer that fits a long; null otherwise. */
  static Long numericId(String id) {
    int n = id.length();
    if (n == 0 || n > 18) {
      return null;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
