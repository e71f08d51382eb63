package dev.tickflow.jobs.signals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class BarTimeWatermarksTest {

  private final List<Instant> emitted = new ArrayList<>();
  private final WatermarkOutput output = new WatermarkOutput() {
    @Override
    public void emitWatermark(Watermark watermark) {
      emitted.add(Instant.ofEpochMilli(watermark.getTimestamp()));
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}
  };

  @Test
  void onlyBaseBarsMoveBarTimeAndOnlyForward() {
    BarTimeWatermarks w = new BarTimeWatermarks(Timeframe.M1, Duration.ofMinutes(1));
    feed(w, "1m", "03:05");
    feed(w, "1h", "04:00"); // an hour bar that came before the hour's last minutes: no jump
    feed(w, "5m", "03:10");
    feed(w, "1m", "03:04"); // older: no step back
    feed(w, "1m", "03:06");
    w.onPeriodicEmit(output);

    assertThat(emitted).containsExactly(Instant.parse("2019-10-11T03:03:59.999Z"),
        Instant.parse("2019-10-11T03:04:59.999Z"));
  }

  private void feed(BarTimeWatermarks w, String timeframe, String close) {
    Candle c = new Candle();
    c.setTimeframe(timeframe);
    c.setCloseTime(Instant.parse("2019-10-11T" + close + ":00Z"));
    w.onEvent(c, c.getCloseTime().toEpochMilli(), output);
  }
}
