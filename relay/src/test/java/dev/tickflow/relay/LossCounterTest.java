package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LossCounterTest {

  @Test
  void gapsInAStreamAreLossesCountedPerTopic() {
    LossCounter losses = new LossCounter();
    assertThat(losses.record("A|trade", new SequenceStamp(7, 41))).as("joining mid-stream is no loss").isZero();
    assertThat(losses.record("A|trade", new SequenceStamp(7, 42))).isZero();
    assertThat(losses.record("A|trade", new SequenceStamp(7, 46))).isEqualTo(3);
    assertThat(losses.record("B|trade", new SequenceStamp(7, 1))).isZero();
    assertThat(losses.record("B|trade", new SequenceStamp(7, 3))).isEqualTo(1);
    assertThat(losses.total()).isEqualTo(4);
    assertThat(losses.lost("A|trade")).isEqualTo(3);
    assertThat(losses.byTopic()).containsEntry("A|trade", 3L).containsEntry("B|trade", 1L).hasSize(2);
  }

  @Test
  void aRestartedPublisherOrASecondOneIsANewStreamNotAGap() {
    LossCounter losses = new LossCounter();
    losses.record("A|ohlc:1m", new SequenceStamp(1, 500));
    assertThat(losses.record("A|ohlc:1m", new SequenceStamp(2, 1))).isZero();
    assertThat(losses.record("A|ohlc:1m", new SequenceStamp(1, 501))).as("the first stream goes on").isZero();
    assertThat(losses.record("A|ohlc:1m", new SequenceStamp(2, 3))).isEqualTo(1);
    assertThat(losses.total()).isEqualTo(1);
  }

  @Test
  void messagesWithoutAStampAreTakenAsTheyCome() {
    LossCounter losses = new LossCounter();
    assertThat(losses.record("BINANCE:", null)).isZero();
    assertThat(SequenceStamp.parse(new byte[3])).isNull();
    SequenceStamp stamp = new SequenceStamp(-5, Long.MAX_VALUE);
    assertThat(SequenceStamp.parse(stamp.toFrame())).isEqualTo(stamp);
    assertThat(losses.total()).isZero();
  }
}
