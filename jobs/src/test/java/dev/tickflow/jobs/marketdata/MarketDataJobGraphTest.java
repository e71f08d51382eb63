package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;

/**
 * How the market-data job's operators are chained into tasks. Every task boundary is a network exchange: records
 * serialized into a buffer that waits up to the buffer timeout. A provisional candle crosses two on its way to the
 * relay (raw trades to their ticker's deduplicator, candles to their ticker's feed-health judge), and no more.
 */
class MarketDataJobGraphTest {

  @Test
  void candleSinksChainToTheRollupsSoAnUpdateCrossesTwoExchangesToTheRelay() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketDataJob.build(env, MarketDataJobConfig.defaults("127.0.0.1:9", null, "tcp://127.0.0.1:9").toBuilder()
        .quotesTopic("").build());
    List<String> tasks = StreamSupport.stream(env.getStreamGraph().getJobGraph().getVertices().spliterator(), false)
        .map(JobVertex::getName).toList();

    assertThat(tasks).filteredOn(t -> t.startsWith("Source: Kafka market_data.raw")).singleElement()
        .asString().contains("TradeNormalizer");
    assertThat(tasks).filteredOn(t -> t.startsWith("TickDeduplicator")).singleElement()
        .asString().contains("CandleAggregator 1m");
    assertThat(tasks).filteredOn(t -> t.startsWith("FeedHealthAnnotator 1m")).singleElement().asString()
        .contains("CandleRollup 5m", "CandleRollup 1d", "Relay ohlc", "final candles", "Kafka market_data.ohlc");
    assertThat(tasks).noneMatch(t -> t.startsWith("Relay ohlc") || t.startsWith("final candles"));
  }

  @Test
  void theCandlesExchangeFlushesWithinAMillisecondWhileTheTradesKeepTheJobsTimeout() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketDataJob.build(env, MarketDataJobConfig.defaults("127.0.0.1:9", null, "tcp://127.0.0.1:9").toBuilder()
        .quotesTopic("").build());
    StreamGraph graph = env.getStreamGraph();

    assertThat(timeoutInto(graph, "FeedHealthAnnotator 1m", "keep candles active")).isEqualTo(1L);
    assertThat(timeoutInto(graph, "TickDeduplicator", "live trades")).isEqualTo(5L);
    assertThat(MarketDataJob.candleBufferTimeout(Duration.ZERO)).isZero(); // flush-always stays flush-always
  }

  /** The buffer timeout of the edge from the operator named {@code from} into the one named {@code into}. */
  private static long timeoutInto(StreamGraph graph, String into, String from) {
    return graph.getStreamNodes().stream().filter(n -> n.getOperatorName().equals(into))
        .flatMap(n -> n.getInEdges().stream())
        .filter(e -> graph.getStreamNode(e.getSourceId()).getOperatorName().equals(from))
        .map(StreamEdge::getBufferTimeout).findFirst().orElseThrow();
  }
}
