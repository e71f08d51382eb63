package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * Keeps, per ticker, only pattern matches that do not overlap an alert already given: a match is an alert when
 * its first bar (or trade) comes after the last bar of the previous alert. Of matches completed by the same bar
 * the one that started earliest wins (ties by alert id).
 *
 * <p>Why not CEP's own skip strategy: with {@code skipPastLastEvent} Flink holds a completed match back until every
 * partial match that started before it has completed or timed out, so an alert can surface several bars after its
 * last bar, and whether the detector engine has judged that bar by then depends on how far each watermark step
 * reaches: a bar-by-bar live run and a replay disagreed. The patterns run with {@code noSkip}, which emits every
 * match on the bar that completes it; this operator decides the overlaps when the watermark passes that bar, before
 * it forwards the watermark, so alerts reach downstream ahead of the bar's judgement however the watermark moves.
 * The cost: a later-completing match that started earlier no longer displaces one that completed first.
 */
public final class OverlappingMatchFilter extends KeyedProcessFunction<String, PatternAlert, PatternAlert> {

  private static final long serialVersionUID = 1L;

  private static final MapStateDescriptor<Long, List<PatternAlert>> COMPLETED = new MapStateDescriptor<>(
      "pattern-matches-completed", Types.LONG, Types.LIST(FlinkTypes.of(PatternAlert.class)));
  private static final ValueStateDescriptor<Long> ALERTED_THROUGH = new ValueStateDescriptor<>(
      "pattern-alerted-through", Types.LONG);

  private transient MapState<Long, List<PatternAlert>> completed;
  private transient ValueState<Long> alertedThrough;
  private transient Counter overlapping;

  /** The key this operator runs under: the alert's ticker, as the CEP operator before it was keyed. */
  public static String tickerOf(PatternAlert alert) {
    return Ticker.key(alert.getExchange(), alert.getBase(), alert.getQuote());
  }

  @Override
  public void open(OpenContext openContext) {
    completed = getRuntimeContext().getMapState(COMPLETED);
    alertedThrough = getRuntimeContext().getState(ALERTED_THROUGH);
    overlapping = getRuntimeContext().getMetricGroup().counter("patternMatchesOverlapping");
  }

  @Override
  public void processElement(PatternAlert match, Context ctx, Collector<PatternAlert> out) throws Exception {
    long at = ctx.timestamp();
    List<PatternAlert> same = completed.get(at);
    List<PatternAlert> now = same == null ? new ArrayList<>() : new ArrayList<>(same);
    now.add(match);
    completed.put(at, now);
    ctx.timerService().registerEventTimeTimer(at);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<PatternAlert> out) throws Exception {
    List<PatternAlert> matches = completed.get(timestamp);
    if (matches == null) {
      return;
    }
    completed.remove(timestamp);
    List<PatternAlert> inOrder = new ArrayList<>(matches);
    inOrder.sort(Comparator.comparing((PatternAlert a) -> MatchSpan.of(a).first())
        .thenComparing(PatternAlert::getAlertId));
    Long through = alertedThrough.value();
    for (PatternAlert match : inOrder) {
      MatchSpan span = MatchSpan.of(match);
      if (through != null && !span.first().isAfter(Instant.ofEpochMilli(through))) {
        overlapping.inc();
        continue;
      }
      out.collect(match);
      through = span.last().toEpochMilli();
    }
    alertedThrough.update(through);
  }

  /**
   * The first and last bar (by open time) or trade (by time) a match took, read back from the alert: candle alerts
   * carry {@code first_bar} and {@code last_bar}, trade alerts their last trade's time and the burst's {@code millis}.
   */
  record MatchSpan(Instant first, Instant last) {

    static MatchSpan of(PatternAlert alert) {
      if (TradeBurstAlerter.TICK.equals(alert.getTimeframe())) {
        Instant last = alert.getEventTime();
        return new MatchSpan(last.minusMillis(Long.parseLong(attribute(alert, "millis"))), last);
      }
      return new MatchSpan(Instant.parse(attribute(alert, "first_bar")), Instant.parse(attribute(alert, "last_bar")));
    }

    private static String attribute(PatternAlert alert, String name) {
      String value = alert.getAttributes().get(name);
      if (value == null) {
        throw new IllegalStateException("alert " + alert.getAlertId() + " has no " + name);
      }
      return value;
    }
  }
}
