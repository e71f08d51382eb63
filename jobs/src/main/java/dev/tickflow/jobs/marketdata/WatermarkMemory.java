package dev.tickflow.jobs.marketdata;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;

/**
 * The highest watermark an operator instance has seen, kept in operator state. After a restore Flink starts
 * every operator at the minimum watermark until the sources emit again, so without this the first records
 * replayed after a crash would be judged against no watermark at all: a trade the uninterrupted run rejected as
 * too late would open a bar again. With it, lateness is judged against at least the watermark of the checkpoint.
 * After a rescale an instance takes the lowest of the values it receives, which only ever accepts more.
 */
final class WatermarkMemory implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String name;
  private transient ListState<Long> state;
  private long seen = Long.MIN_VALUE;

  WatermarkMemory(String name) {
    this.name = name;
  }

  void initialize(FunctionInitializationContext context) throws Exception {
    state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>(name, Types.LONG));
    seen = Long.MIN_VALUE;
    if (context.isRestored()) {
      long lowest = Long.MAX_VALUE;
      boolean any = false;
      for (Long w : state.get()) {
        lowest = Math.min(lowest, w);
        any = true;
      }
      seen = any ? lowest : Long.MIN_VALUE;
    }
  }

  void snapshot(FunctionSnapshotContext context) throws Exception {
    state.update(List.of(seen));
  }

  /** The operator's current watermark, or the one it had reached before a restore if that is higher. */
  long current(long operatorWatermark) {
    seen = Math.max(seen, operatorWatermark);
    return seen;
  }
}
