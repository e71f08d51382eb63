package dev.tickflow.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.SignalOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacktestSummaryTest {

  @Test
  void hitRateProfitAndTheDeepestFallOfRealizedEquityInClosingOrder() {
    // closed out of order on purpose: the curve follows closing time, 100 -> 103 -> 101 -> 97 -> 102
    List<SignalOutcome> closed = List.of(outcome("c", "2019-10-11T03:00:00Z", "-4"),
        outcome("a", "2019-10-11T01:00:00Z", "3"), outcome("b", "2019-10-11T02:00:00Z", "-2"),
        outcome("d", "2019-10-11T04:00:00Z", "5"));
    List<Fill> fills = List.of(fill("0.1"), fill("0.25"), fill("0.05"));
    List<MetricsSnapshot> hourly = List.of(snapshot("2019-10-11T02:00:00Z", "0.4", "101"),
        snapshot("2019-10-11T05:00:00Z", "-", "102"), snapshot("2019-10-11T03:00:00Z", "0.75", "97"));

    BacktestSummary s = BacktestSummary.from(9, 9, 4, closed, fills, hourly, new BigDecimal("100"));

    assertThat(s.closed()).isEqualTo(4);
    assertThat(s.won()).isEqualTo(2);
    assertThat(s.hitRate()).isEqualByComparingTo("0.5");
    assertThat(s.pnl()).isEqualByComparingTo("2");
    assertThat(s.fees()).isEqualByComparingTo("0.40");
    assertThat(s.maxDrawdown()).as("peak 103, trough 97").isEqualByComparingTo("6");
    assertThat(s.maxUtilization()).isEqualByComparingTo("0.75");
    assertThat(s.endingEquity()).as("the last snapshot's").isEqualTo("102");
    assertThat(s.toText()).contains("hit rate 0.5", "max drawdown (realized) 6");
    assertThat(s.toJson()).contains("\"pnl\" : \"2\"", "\"hitRate\" : \"0.5\"");
  }

  @Test
  void noClosedPositionsNoHitRate() {
    BacktestSummary s = BacktestSummary.from(0, 0, 0, List.of(), List.of(), List.of(), new BigDecimal("100"));
    assertThat(s.hitRate()).isNull();
    assertThat(s.maxDrawdown()).isEqualByComparingTo("0");
    assertThat(s.endingEquity()).isEqualTo("100");
    assertThat(s.toText()).contains("hit rate -");
  }

  private static SignalOutcome outcome(String id, String at, String pnl) {
    SignalOutcome o = new SignalOutcome();
    o.setPositionId(id);
    o.setEventTime(Instant.parse(at));
    o.setPnl(new BigDecimal(pnl));
    return o;
  }

  private static Fill fill(String fee) {
    Fill f = new Fill();
    f.setFee(new BigDecimal(fee));
    return f;
  }

  private static MetricsSnapshot snapshot(String at, String utilization, String equity) {
    MetricsSnapshot m = new MetricsSnapshot();
    m.setEventTime(Instant.parse(at));
    m.setGauges(Map.of("utilization", utilization, "equity", equity));
    return m;
  }
}
