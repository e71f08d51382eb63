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
 */
public final class RecordPlacedWatermarks<T> implements WatermarkGenerator<T> {

  private final long delay;
  private long emitted = Long.MIN_VALUE;

  public RecordPlacedWatermarks(Duration outOfOrderness) {
    this.delay = outOfOrderness.toMillis();
  }

  @Override
  public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    if (eventTimestamp == Long.MIN_VALUE) {
      return;
    }
    long watermark = eventTimestamp - delay - 1;
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
