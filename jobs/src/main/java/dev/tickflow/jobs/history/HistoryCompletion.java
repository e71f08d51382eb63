package dev.tickflow.jobs.history;

import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by request id: counts the request's trades and waits for its completion marker (which the ingestor
 * writes after the trades, but to another topic, so either may arrive first). Once the marker is in and as many
 * trades as it counts have been seen, the request is complete. A request whose trades never all arrive is
 * forgotten after a day.
 */
public final class HistoryCompletion
    extends KeyedCoProcessFunction<String, Trade, HistoryFetched, CompletedHistory> {

  private static final long serialVersionUID = 1L;

  private transient ValueState<Long> seen;
  private transient ValueState<HistoryFetched> marker;

  @Override
  public void open(OpenContext openContext) {
    // Cleanup only, so processing time is fine here: it decides nothing a replay would see differently.
    StateTtlConfig ttl = StateTtlConfig.newBuilder(java.time.Duration.ofDays(1)).build();
    ValueStateDescriptor<Long> seenDescriptor = new ValueStateDescriptor<>("history-trades-seen", Types.LONG);
    seenDescriptor.enableTimeToLive(ttl);
    ValueStateDescriptor<HistoryFetched> markerDescriptor =
        new ValueStateDescriptor<>("history-marker", FlinkTypes.of(HistoryFetched.class));
    markerDescriptor.enableTimeToLive(ttl);
    seen = getRuntimeContext().getState(seenDescriptor);
    marker = getRuntimeContext().getState(markerDescriptor);
  }

  @Override
  public void processElement1(Trade trade, Context ctx, Collector<CompletedHistory> out) throws Exception {
    Long n = seen.value();
    seen.update(n == null ? 1 : n + 1);
    completeIfDone(out);
  }

  @Override
  public void processElement2(HistoryFetched fetched, Context ctx, Collector<CompletedHistory> out)
      throws Exception {
    marker.update(fetched);
    completeIfDone(out);
  }

  private void completeIfDone(Collector<CompletedHistory> out) throws Exception {
    HistoryFetched m = marker.value();
    long n = seen.value() == null ? 0 : seen.value();
    if (m != null && n >= m.getRowCount()) {
      out.collect(CompletedHistory.of(m, n));
      marker.clear();
      seen.clear();
    }
  }
}
