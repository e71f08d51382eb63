package dev.tickflow.jobs.io;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records and watermarks on, but never tells downstream that this channel went idle. A downstream
 * operator that joins this stream with a faster path of the same data (candles reaching the detector engine
 * directly, alerts reaching it through CEP) must not let its watermark run ahead on the fast path while this one
 * is idle: when the source wakes up, the fast path would pass the watermark before CEP has caught up, and a timer
 * would fire before the alerts it waits for. Kept active, this channel's watermark always gates the join.
 */
public final class NeverIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(StreamRecord<T> element) {
    output.collect(element);
  }

  @Override
  public void processWatermarkStatus(WatermarkStatus watermarkStatus) {
    // swallowed: see the class comment
  }
}
