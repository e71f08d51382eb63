package dev.tickflow.jobs.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.HistoryStatus;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class HistoryCompletionTest {

  private static final Instant T = Instant.parse("2019-10-11T00:00:00Z");

  private static KeyedTwoInputStreamOperatorTestHarness<String, Trade, HistoryFetched, CompletedHistory> harness()
      throws Exception {
    var h = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new HistoryCompletion()),
        Trade::getHistoryRequestId, HistoryFetched::getRequestId, Types.STRING);
    h.open();
    return h;
  }

  private static Trade trade(String request, int id) {
    return Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId(Integer.toString(id))
        .setPrice(BigDecimal.ONE.setScale(18)).setAmount(BigDecimal.ONE.setScale(18)).setSide(Side.BUY)
        .setEventTime(T).setIngestTime(T).setSource(new SourceRange("market_data.raw", 0, (long) id, (long) id))
        .setHistoryRequestId(request).build();
  }

  private static HistoryFetched marker(String request, long rows, HistoryStatus status) {
    return HistoryFetched.newBuilder().setRequestId(request).setClientId("c").setExchange("BINANCE").setBase("XRP")
        .setQuote("ETH").setDataType("trades").setFromTime(T).setToTime(T.plusSeconds(60)).setRowCount(rows)
        .setStatus(status).setEventTime(T).setIngestTime(T).build();
  }

  private static List<String> completed(
      KeyedTwoInputStreamOperatorTestHarness<String, Trade, HistoryFetched, CompletedHistory> h) {
    return h.extractOutputValues().stream().map(c -> c.requestId + ":" + c.trades + ":" + c.status).toList();
  }

  @Test
  void aMarkerAheadOfItsTradesWaitsForTheLastOne() throws Exception {
    try (var h = harness()) {
      h.processElement2(new StreamRecord<>(marker("r1", 3, HistoryStatus.OK)));
      h.processElement1(new StreamRecord<>(trade("r1", 1)));
      h.processElement1(new StreamRecord<>(trade("r1", 2)));
      h.processElement1(new StreamRecord<>(trade("other", 9)));
      assertThat(completed(h)).isEmpty();
      h.processElement1(new StreamRecord<>(trade("r1", 3)));
      assertThat(completed(h)).containsExactly("r1:3:OK");
      assertThat(h.numKeyedStateEntries()).as("a completed request leaves only others' state").isEqualTo(1);
    }
  }

  @Test
  void tradesAheadOfTheirMarkerCompleteWhenItArrives() throws Exception {
    try (var h = harness()) {
      h.processElement1(new StreamRecord<>(trade("r2", 1)));
      h.processElement1(new StreamRecord<>(trade("r2", 2)));
      assertThat(completed(h)).isEmpty();
      h.processElement2(new StreamRecord<>(marker("r2", 2, HistoryStatus.OK)));
      assertThat(completed(h)).containsExactly("r2:2:OK");
    }
  }

  @Test
  void aFailedRequestWithoutTradesCompletesAtOnce() throws Exception {
    try (var h = harness()) {
      h.processElement2(new StreamRecord<>(marker("r3", 0, HistoryStatus.FAILED)));
      assertThat(completed(h)).containsExactly("r3:0:FAILED");
    }
  }
}
