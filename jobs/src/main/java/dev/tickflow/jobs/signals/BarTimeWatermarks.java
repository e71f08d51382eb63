package dev.tickflow.jobs.signals;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bar time for the signal pipeline: the watermark trails the newest close of the base timeframe's bars (1m) by
 * {@code outOfOrderness}, emitted on the bar that advances it. Only base bars move it: they reach
 * {@code market_data.ohlc} in close order, one operator emitting them, while the coarser bars come from other
 * operators and interleave with them arbitrarily when the market-data job closes many bars at once (after a burst
 * or a catch-up). Were an early 1h bar to move the watermark, the 1m bars of the hour still coming would all be late
 * for CEP and the advisor; a replay showed decisions made on an hour-old market that way. A coarser bar that
 * comes early waits in event time like any future event. Emitting on the bar rather than periodically places each
 * watermark by the records alone, so a replay sees it where the live run did.
 */
public final class BarTimeWatermarks implements WatermarkGenerator<Candle> {

  private final String base;
  private final long delay;
  private long emitted = Long.MIN_VALUE;

  public BarTimeWatermarks(Timeframe base, Duration outOfOrderness) {
    this.base = base.label();
    this.delay = outOfOrderness.toMillis();
  }

  @Override
  public void onEvent(Candle candle, long eventTimestamp, WatermarkOutput output) {
    if (!base.equals(candle.getTimeframe())) {
      return;
    }
    long watermark = candle.getCloseTime().toEpochMilli() - delay - 1;
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    // everything was emitted on the bar that advanced it
  }
}
