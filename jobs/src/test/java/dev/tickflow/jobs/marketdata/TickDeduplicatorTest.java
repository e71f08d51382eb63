package dev.tickflow.jobs.marketdata;

import static dev.tickflow.jobs.marketdata.Trades.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.Trade;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TickDeduplicatorTest {

  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> harness(long window) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new TickDeduplicator(window, 60_000), t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(),
        Types.STRING);
    h.open();
    return h;
  }

  /** A deduplicator with {@code window} started from {@code snapshot}. */
  private static KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> restoredFrom(
      OperatorSubtaskState snapshot, long window) throws Exception {
    var restored = new KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade>(
        new KeyedProcessOperator<>(new TickDeduplicator(window, 60_000)),
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    restored.initializeState(snapshot);
    restored.open();
    return restored;
  }

  private static void send(KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> h, Trade... trades)
      throws Exception {
    for (Trade t : trades) {
      h.processElement(new StreamRecord<>(t, t.getEventTime().toEpochMilli()));
    }
  }

  private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, Trade, Trade> h) {
    return h.extractOutputValues().stream().map(Trade::getTradeId).toList();
  }

  @Test
  void dropsRepeatsAndTheFirstCopyWins() throws Exception {
    try (var h = harness(100)) {
      send(h, trade("10", "1.5", "2", 1000), trade("11", "1.6", "1", 1001), trade("10", "9.9", "2", 1000),
          trade("11", "1.6", "1", 1001), trade("12", "1.7", "1", 1002));

      assertThat(ids(h)).containsExactly("10", "11", "12");
      assertThat(h.extractOutputValues().get(0).getPrice()).isEqualByComparingTo("1.5");
    }
  }

  @Test
  void acceptsOutOfOrderIdsInsideTheWindowAndPresumesOlderOnesSeen() throws Exception {
    try (var h = harness(10)) {
      for (int id = 2; id <= 200; id += 2) {
        send(h, trade(Integer.toString(id), "1", "1", id));
      }
      // 199 was never seen and is within 10 of the high-water mark 200: new. 101 is far below: taken as seen.
      send(h, trade("199", "1", "1", 199), trade("101", "1", "1", 101), trade("198", "1", "1", 198));

      List<String> ids = ids(h);
      assertThat(ids).hasSize(101).endsWith("200", "199");
    }
  }

  @Test
  void aReplayOfTheWholeRangeIsDroppedAfterARestoreFromACheckpoint() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness(5)) {
      for (int id = 1; id <= 50; id++) {
        send(h, trade(Integer.toString(id), "1", "1", id));
      }
      assertThat(ids(h)).hasSize(50);
      snapshot = h.snapshot(1, 100);
    }
    var restored = restoredFrom(snapshot, 5);
    try (restored) {
      for (int id = 1; id <= 51; id++) {
        send(restored, trade(Integer.toString(id), "1", "1", id));
      }
      assertThat(ids(restored)).containsExactly("51");
    }
  }

  @Test
  void textIdsAreRememberedForTheRetentionThenForgottenWithTheirTimers() throws Exception {
    try (var h = harness(10)) {
      send(h, trade("a-1", "1", "1", 0), trade("a-1", "1", "1", 1));
      assertThat(ids(h)).containsExactly("a-1");
      assertThat(h.numEventTimeTimers()).isEqualTo(1);

      h.processWatermark(120_000);
      assertThat(h.numEventTimeTimers()).isZero();
      send(h, trade("a-1", "1", "1", 120_001));
      assertThat(ids(h)).containsExactly("a-1", "a-1");
    }
  }

  @Test
  void recognisesOnlyPlainIntegersAsNumericIds() {
    assertThat(TickDeduplicator.numericId("13519807")).isEqualTo(13519807L);
    assertThat(TickDeduplicator.numericId("-1")).isNull();
    assertThat(TickDeduplicator.numericId("1e5")).isNull();
    assertThat(TickDeduplicator.numericId("1234567890123456789")).isNull(); // 19 digits may overflow
    assertThat(TickDeduplicator.numericId("")).isNull();
  }

  /** Writes dedup state as savepoints before the 64-ids-an-entry layout held it. */
  private static final class LegacyLayout extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Trade, Trade> {
    @Override
    public void processElement(Trade t, Context ctx, org.apache.flink.util.Collector<Trade> out) throws Exception {
      long id = Long.parseLong(t.getTradeId());
      var mark = getRuntimeContext().getState(
          new org.apache.flink.api.common.state.ValueStateDescriptor<>("dedup-high-water-mark", Types.LONG));
      var ids = getRuntimeContext().getMapState(
          new org.apache.flink.api.common.state.MapStateDescriptor<>("dedup-recent-ids", Types.LONG, Types.BOOLEAN));
      var count = getRuntimeContext().getState(
          new org.apache.flink.api.common.state.ValueStateDescriptor<>("dedup-recent-count", Types.LONG));
      ids.put(id, Boolean.TRUE);
      count.update(count.value() == null ? 1 : count.value() + 1);
      if (mark.value() == null || id > mark.value()) {
        mark.update(id);
      }
    }
  }

  @Test
  void aSavepointOfTheEarlierLayoutRestoresWithEveryIdItHeld() throws Exception {
    OperatorSubtaskState snapshot;
    var legacy = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LegacyLayout(),
        t -> t.getExchange() + ":" + t.getBase() + "/" + t.getQuote(), Types.STRING);
    legacy.open();
    try (legacy) {
      for (int id = 1000; id <= 1100; id += 2) { // even ids seen, up to a mark of 1100
        send(legacy, trade(Integer.toString(id), "1", "1", id));
      }
      snapshot = legacy.snapshot(1, 100);
    }
    var restored = restoredFrom(snapshot, 50);
    try (restored) {
      // seen before the restore: dropped; odd ids in the window: new; below the window: taken as seen; above: new
      send(restored, trade("1098", "1", "1", 1), trade("1100", "1", "1", 1), trade("1099", "1", "1", 1),
          trade("1051", "1", "1", 1), trade("1049", "1", "1", 1), trade("1101", "1", "1", 1),
          trade("1099", "1", "1", 1), trade("1052", "1", "1", 1));
      assertThat(ids(restored)).containsExactly("1099", "1051", "1101");
    }
  }

  @Test
  void aJumpFarAheadForgetsTheOldWindowAndKeepsDroppingWhatIsBelowTheNewOne() throws Exception {
    try (var h = harness(100)) {
      for (int id = 1; id <= 300; id++) {
        send(h, trade(Integer.toString(id), "1", "1", id));
      }
      send(h, trade("5000000000", "1", "1", 1), trade("299", "1", "1", 1), trade("4999999950", "1", "1", 1),
          trade("4999999950", "1", "1", 1), trade("4999999900", "1", "1", 1), trade("5000000001", "1", "1", 1));
      assertThat(ids(h)).hasSize(303).endsWith("5000000000", "4999999950", "5000000001");
    }
  }
}
