package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.flink.EventSerializer;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The job hands its events between operators with tickflow's serializer, not Avro's deep-copying one. */
class JobSerializersTest {

  @Test
  void everyEventStreamOfTheMarketDataGraphUsesTheEventSerializer() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    MarketDataJob.build(env, MarketDataJobConfig.defaults("127.0.0.1:9", null, null));
    StreamGraph graph = env.getStreamGraph();
    Map<String, String> serializers = graph.getStreamNodes().stream()
        .filter(n -> n.getTypeSerializerOut() != null)
        .collect(Collectors.toMap(StreamNode::getOperatorName, n -> n.getTypeSerializerOut().getClass().getSimpleName(),
            (a, b) -> a));
    assertThat(serializers).containsEntry("TradeNormalizer", EventSerializer.class.getSimpleName())
        .containsEntry("TickDeduplicator", EventSerializer.class.getSimpleName())
        .containsEntry("CandleAggregator 1m", EventSerializer.class.getSimpleName())
        .containsEntry("CandleRollup 5m", EventSerializer.class.getSimpleName());
  }
}
