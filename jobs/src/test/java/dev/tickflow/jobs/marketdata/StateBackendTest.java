package dev.tickflow.jobs.marketdata;

import static dev.tickflow.jobs.marketdata.Trades.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The candle state works on both state backends the job can be configured with, across a snapshot and a
 * restore: a final bar kept for revisions survives the restore and is revised afterwards; once the lateness has
 * passed, only the ticker's last bar is left.
 */
class StateBackendTest {

  private static final long T0 = Instant.parse("2019-10-11T00:00:00Z").toEpochMilli();

  @ParameterizedTest
  @EnumSource(MarketDataJobConfig.StateBackend.class)
  void aBarFinalBeforeARestoreIsRevisedAfterIt(MarketDataJobConfig.StateBackend backend) throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(backend, null)) {
      send(h, trade("1", "10", "1", T0 + 10));
      h.processWatermark(T0 + 119_999);
      assertThat(h.extractOutputValues()).extracting(Candle::getRevision).containsExactly(0, 0);
      snapshot = h.snapshot(1, T0 + 119_999);
    }
    try (var h = harness(backend, snapshot)) {
      send(h, trade("2", "12", "1", T0 + 30_000));
      assertThat(h.extractOutputValues()).extracting(c -> c.getOpenTime().toEpochMilli() + "#" + c.getRevision())
          .containsExactly(T0 + "#1", (T0 + 60_000) + "#1");
      h.processWatermark(Long.MAX_VALUE);
      if (backend == MarketDataJobConfig.StateBackend.HASHMAP) { // the harness counts entries on the heap only
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
      }
      assertThat(h.numEventTimeTimers()).isZero();
      send(h, trade("3", "9", "1", T0 + 40_000));
      assertThat(h.getSideOutput(DeadLetters.TAG)).as("past the lateness: dead letter, no bar again").hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(MarketDataJobConfig.StateBackend.class)
  void theJobRunsOnTheConfiguredBackend(MarketDataJobConfig.StateBackend backend) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketDataJob.build(env, MarketDataJobConfig.builder("localhost:9092").stateBackend(backend).build());
    assertThat(env.getConfiguration().get(StateBackendOptions.STATE_BACKEND)).isEqualTo(backend.flinkName());
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Candle> harness(
      MarketDataJobConfig.StateBackend backend, OperatorSubtaskState restore) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new CandleAggregator(Timeframe.M1, Duration.ofMinutes(2), Duration.ZERO)),
        t -> Trades.TICKER, Types.STRING);
    StateBackend stateBackend = backend == MarketDataJobConfig.StateBackend.ROCKSDB
        ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    h.setStateBackend(stateBackend);
    if (restore != null) {
      h.initializeState(restore);
    }
    h.open();
    return h;
  }

  private static void send(KeyedOneInputStreamOperatorTestHarness<String, Trade, Candle> h, Trade t)
      throws Exception {
    h.processElement(new StreamRecord<>(t, t.getEventTime().toEpochMilli()));
  }
}
