package dev.tickflow.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class RecordPlacedWatermarksTest {

  /** Collects what the generator emits. */
  private static final class Emitted implements WatermarkOutput {
    final List<Long> watermarks = new ArrayList<>();

    @Override
    public void emitWatermark(Watermark watermark) {
      watermarks.add(watermark.getTimestamp());
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  }

  private static List<Long> feed(RecordPlacedWatermarks<String> generator, long... times) {
    Emitted out = new Emitted();
    for (long t : times) {
      generator.onEvent("trade", t, out);
      generator.onPeriodicEmit(out);
    }
    return out.watermarks;
  }

  @Test
  void exactFollowsEveryAdvanceAndNeverGoesBack() {
    assertThat(feed(new RecordPlacedWatermarks<>(Duration.ofSeconds(2)), 10_000, 10_001, 9_000, 10_001, 10_005))
        .containsExactly(7_999L, 8_000L, 8_004L);
  }

  @Test
  void steppedEmitsTheLastMilliOfEachStepReached() {
    // bound = t - 2001; steps of 100 ms: the largest k*100 - 1 at or below the bound
    assertThat(feed(new RecordPlacedWatermarks<>(Duration.ofSeconds(2), Duration.ofMillis(100)),
        10_000, 10_050, 10_099, 10_100, 10_101, 10_350, 9_000, 10_399, 10_400))
        .containsExactly(7_999L, 8_099L, 8_299L, 8_399L);
  }

  @Test
  void aStepThatDividesAMinuteLandsOnEveryBarEnd() {
    // the exact bound reaches the bar's last millisecond (59,999) with a trade 2 s after the bar's end: so does
    // the stepped one, on that same trade; one millisecond earlier it is still a step short
    assertThat(feed(new RecordPlacedWatermarks<>(Duration.ofSeconds(2), Duration.ofMillis(100)),
        60_000 + 1_999, 60_000 + 2_000)).containsExactly(59_899L, 59_999L);
  }

  @Test
  void eventsWithoutATimeNeverMoveIt() {
    assertThat(feed(new RecordPlacedWatermarks<>(Duration.ZERO, Duration.ofMillis(100)), Long.MIN_VALUE, 1_000,
        Long.MIN_VALUE)).containsExactly(999L);
  }

  @Test
  void theSameRecordsPlaceTheSameWatermarksWhereverTheRunStarts() {
    long[] times = {1_000, 1_040, 1_170, 1_230, 1_240, 1_410};
    List<Long> whole = feed(new RecordPlacedWatermarks<>(Duration.ZERO, Duration.ofMillis(100)), times);
    List<Long> fromThird = feed(new RecordPlacedWatermarks<>(Duration.ZERO, Duration.ofMillis(100)), 1_170, 1_230,
        1_240, 1_410);
    assertThat(whole).endsWith(fromThird.toArray(new Long[0]));
  }

  @Test
  void refusesAStepUnderAMillisecond() {
    assertThatThrownBy(() -> new RecordPlacedWatermarks<>(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
  }
}
