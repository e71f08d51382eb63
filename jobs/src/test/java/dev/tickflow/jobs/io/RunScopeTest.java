package dev.tickflow.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.jobs.io.RunScope.OffsetRange;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.jobs.signals.SignalJob;
import dev.tickflow.jobs.trading.TradingConfig;
import dev.tickflow.jobs.trading.TradingJob;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class RunScopeTest {

  private static final RunScope AUDIT = RunScope.audit("audit_1", Map.of("market_data.raw",
      Map.of(0, new OffsetRange(10, 20), 1, new OffsetRange(0, 5))));

  @Test
  void liveNamesAreUnchangedAndAnAuditRunsAreItsOwn() {
    assertThat(RunScope.LIVE.outputTopic("signals.raw")).isEqualTo("signals.raw");
    assertThat(RunScope.LIVE.table(MarketTables.OHLC)).isSameAs(MarketTables.OHLC);
    assertThat(AUDIT.outputTopic("signals.raw")).isEqualTo("signals.raw.audit_1");
    assertThat(AUDIT.inputTopic("market_data.ohlc")).as("written by the graph: its own copy")
        .isEqualTo("market_data.ohlc.audit_1");
    assertThat(AUDIT.inputTopic("market_data.raw")).as("an outside input: the live one").isEqualTo("market_data.raw");
    assertThat(AUDIT.inputTopic("trade.control")).isEqualTo("trade.control");
    assertThat(AUDIT.table(MarketTables.OHLC).identifier().toString()).isEqualTo("audit_1.market_ohlc");
    assertThat(AUDIT.table(MarketTables.OHLC).schema()).isSameAs(MarketTables.OHLC.schema());
    assertThat(AUDIT.io("sink-kafka-trades")).isEqualTo("audit-sink-kafka-trades");
    assertThat(AUDIT.group("tickflow-signals")).isEqualTo("audit_1-tickflow-signals");
    assertThatThrownBy(() -> RunScope.audit("Bad-Id", Map.of())).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> new OffsetRange(5, 4)).hasMessageContaining("not a range");
  }

  @Test
  void anAuditGraphKeepsTheOperatorsUidsAndRenamesOnlyItsSourcesAndSinks() {
    MarketDataJobConfig c = MarketDataJobConfig.builder("localhost:9092").scope(AUDIT).build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketDataJob.build(env, c);
    SignalJob.Streams s = SignalJob.addTo(env, c, List.of(), PatternSpecs.defaults());
    TradingJob.addTo(env, c, TradingConfig.defaults(), s.signals(), s.candles());
    JobGraph graph = env.getStreamGraph().getJobGraph(); // serializes every operator, as a submission does
    List<String> names = graph.getVerticesSortedTopologicallyFromSources().stream().map(JobVertex::getName).toList();
    assertThat(names).anyMatch(n -> n.contains("TickDeduplicator")).anyMatch(n -> n.contains("RiskGovernor"));
  }
}
