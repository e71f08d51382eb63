package dev.tickflow.jobs.io;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness emitted on the event that advances it, never on Flink's periodic timer: where each
 * watermark falls among the records then depends on the records alone, so what counts as late (and when a joined
 * operator may act) is the same in a replay as in the live run. The market-data job places its trade-time
 * watermarks this way from the raw records, and the pipelines that read what it wrote do the same. An event without
 * a time ({@link Long#MIN_VALUE}, e.g. a raw record whose time is unknown) never advances it.
 *
 * <p>With a {@code step}, the watermark only takes values {@code k * step - 1} (the last millisecond of a step):
 * the largest such value at or below the exact bound. A busy feed advances the exact bound on nearly every trade,
 * and every watermark crosses each downstream exchange to every channel and is checked against every timer; in
 * steps there is one per step. Which record moves it to the next step is still decided by the records, and a step
 * that divides a minute puts a step end on every bar end, so bars close at the watermark that first passes them.
 */
public final class RecordPlacedWatermarks<T> implements WatermarkGenerator<T> {

  private final long delay;
  private final long step;
  private long emitted = Long.MIN_VALUE;

  /** Exact: the watermark follows every advance, to the millisecond. */
  public RecordPlacedWatermarks(Duration outOfOrderness) {
    this(outOfOrderness, Duration.ofMillis(1));
  }

  public RecordPlacedWatermarks(Duration outOfOrderness, Duration step) {
    if (step.toMillis() < 1) {
      throw new IllegalArgumentException("watermark step must be at least 1 ms, not " + step);
    }
    this.delay = outOfOrderness.toMillis();
    this.step = step.toMillis();
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    if (eventTimestamp == Long.MIN_VALUE) {
      return;
    }
    long watermark = Math.floorDiv(eventTimestamp - delay, step) * step - 1; // step 1: exactly t - delay - 1
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // everything was emitted on the event that advanced it
  }
}
