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
 * plus which ids within {@code window} below it were seen: an id above the mark is new, an id in the window is new
 * unless seen, an id further below is taken as seen. So out-of-order arrival within {@code window} ids is exact,
 * and a whole replay of old data is dropped without remembering every id. The ids seen are kept 64 to an entry
 * (a bit per id, keyed by {@code id / 64}), about {@code window / 64} entries per ticker: a snapshot of one entry
 * per id (10,000 to 20,000 per ticker) took long enough, every checkpoint, to be the tail of the relay's latency.
 * Other ids are remembered for {@code textIdRetentionMillis} of event time.
 */
public final class TickDeduplicator extends KeyedProcessFunction<String, Trade, Trade> {

  private static final long serialVersionUID = 1L;
  /** Text-id expiry timers are rounded up to this, so a busy ticker sets one timer a minute, not one a trade. */
  private static final long TIMER_GRANULARITY_MILLIS = 60_000;
  private static final int IDS_PER_WORD = 64;

  private final long window;
  private final long textIdRetentionMillis;

  private transient ValueState<Long> mark;
  private transient MapState<Long, Long> seenWords;
  private transient MapState<String, Long> textIds;
  private transient Counter duplicates;
  // As savepoints before the ids were kept 64 to an entry have them: read once per ticker, then cleared.
  private transient ValueState<Long> legacyMark;
  private transient MapState<Long, Boolean> legacyIds;
  private transient ValueState<Long> legacyCount;

  public TickDeduplicator(long window, long textIdRetentionMillis) {
    if (window <= 0 || textIdRetentionMillis <= 0) {
      throw new IllegalArgumentException("window and retention must be positive");
    }
    this.window = window;
    this.textIdRetentionMillis = textIdRetentionMillis;
  }

  @Override
  public void open(OpenContext openContext) {
    mark = getRuntimeContext().getState(new ValueStateDescriptor<>("dedup-mark", Types.LONG));
    seenWords = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("dedup-seen-words", Types.LONG, Types.LONG));
    textIds = getRuntimeContext().getMapState(new MapStateDescriptor<>("dedup-text-ids", Types.STRING, Types.LONG));
    legacyMark = getRuntimeContext().getState(new ValueStateDescriptor<>("dedup-high-water-mark", Types.LONG));
    legacyIds = getRuntimeContext().getMapState(
        new MapStateDescriptor<>("dedup-recent-ids", Types.LONG, Types.BOOLEAN));
    legacyCount = getRuntimeContext().getState(new ValueStateDescriptor<>("dedup-recent-count", Types.LONG));
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
    Long current = mark.value();
    if (current == null) {
      current = migrateLegacy();
    }
    if (current != null && id <= current - window) {
      return false;
    }
    if (current == null || id > current) {
      if (current != null) {
        forgetBelow(current, id);
      }
      mark.update(id);
    }
    return markSeen(id);
  }

  /** Sets the id's bit; false if it was set already. */
  private boolean markSeen(long id) throws Exception {
    long word = Math.floorDiv(id, IDS_PER_WORD);
    long bit = 1L << Math.floorMod(id, IDS_PER_WORD);
    Long bits = seenWords.get(word);
    long old = bits == null ? 0L : bits;
    if ((old & bit) != 0) {
      return false;
    }
    seenWords.put(word, old | bit);
    return true;
  }

  /**
   * The mark moves from {@code from} to {@code to}: forget the words that now hold only ids at or below the
   * window's floor (the mark answers for them). Bits below the floor in the word that straddles it are never
   * asked about.
   */
  private void forgetBelow(long from, long to) throws Exception {
    long oldFirst = Math.floorDiv(from - window + 1, IDS_PER_WORD);
    long newFirst = Math.floorDiv(to - window + 1, IDS_PER_WORD);
    if (newFirst <= oldFirst) {
      return;
    }
    if (newFirst - oldFirst <= window / IDS_PER_WORD + 2) {
      for (long w = oldFirst; w < newFirst; w++) {
        seenWords.remove(w);
      }
      return;
    }
    List<Long> stale = new ArrayList<>(); // a jump far ahead: fewer entries to look at than words passed
    for (Long w : seenWords.keys()) {
      if (w < newFirst) {
        stale.add(w);
      }
    }
    for (Long w : stale) {
      seenWords.remove(w);
    }
  }

  /**
   * The first numeric id of a ticker since a restore: if the savepoint holds the earlier layout (one entry per id),
   * move what is still in the window over and clear it. Returns the mark, or null for a ticker never seen.
   */
  private Long migrateLegacy() throws Exception {
    Long old = legacyMark.value();
    if (old == null) {
      return null;
    }
    for (Long id : legacyIds.keys()) {
      if (id > old - window) {
        markSeen(id);
      }
    }
    legacyIds.clear();
    legacyCount.clear();
    legacyMark.clear();
    mark.update(old);
    return old;
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
