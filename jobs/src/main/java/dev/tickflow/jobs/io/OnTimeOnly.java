package dev.tickflow.jobs.io;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes on the records that are not late on their own path (timestamp above this path's watermark) and counts
 * the others. Put right after a source's watermarks, it makes lateness a property of the partition's order alone:
 * downstream, where this path is joined with others, a record of it can never be behind the joined watermark, so
 * whether it was applied before or after a record of another path no longer depends on which path ran ahead.
 */
public final class OnTimeOnly<T> extends ProcessFunction<T, T> {
  private static final long serialVersionUID = 1L;

  private final String metric;
  private transient Counter dropped;

  /** @param metric name of the counter of dropped late records */
  public OnTimeOnly(String metric) {
    this.metric = metric;
  }

  @Override
  public void open(OpenContext openContext) {
    dropped = getRuntimeContext().getMetricGroup().counter(metric);
  }

  @Override
  public void processElement(T value, Context ctx, Collector<T> out) {
    Long ts = ctx.timestamp();
    if (ts != null && ts <= ctx.timerService().currentWatermark()) {
      dropped.inc();
      return;
    }
    out.collect(value);
  }
}
