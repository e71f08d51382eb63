package dev.tickflow.bench.e2e;

import dev.tickflow.deploy.local.EmbeddedKafka;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.ingestors.synthetic.SyntheticConfig;
import dev.tickflow.ingestors.synthetic.SyntheticTrades;
import dev.tickflow.schemas.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * The input every contender reads: an embedded KRaft broker and synthetic trades on {@code market_data.raw}, written
 * by the producer tickflow's ingestors use (Avro payload, ticker key, event time in a header).
 */
final class BenchInput implements AutoCloseable {

  final EmbeddedKafka kafka;
  final long trades;
  final int partitions;

  private BenchInput(EmbeddedKafka kafka, long trades, int partitions) {
    this.kafka = kafka;
    this.trades = trades;
    this.partitions = partitions;
  }

  static BenchInput start(Path dir, int port, int controllerPort, int partitions, int tickers, long trades)
      throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir, port, controllerPort, partitions);
    // a thousand trades a second across the tickers: a minute of market holds 60,000 of them
    SyntheticTrades source = new SyntheticTrades(new SyntheticConfig(tickers, 1_000, 3, 0.0, 0, trades, 42,
        Instant.parse("2024-01-01T00:00:00Z")));
    try (MarketDataProducer out = new MarketDataProducer(
        new KafkaProducer<>(RawTopicOptions.producerProperties(kafka.bootstrapServers())))) {
      while (source.hasNext()) {
        out.trade(source.next());
      }
      out.flush();
    }
    return new BenchInput(kafka, source.generated(), partitions);
  }

  String bootstrap() {
    return kafka.bootstrapServers();
  }

  /**
   * Creates each contender's output topics configured like the tickflow topic they stand for. Created with the
   * broker's defaults (CreateTime, seven days' retention), a topic of records stamped with the input's 2024 event
   * times lost its first segment to the broker's first retention pass: the "missing tail" an earlier run of this
   * harness reported.
   */
  void createTopics(Map<String, Topic> shapedLike) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin.createTopics(shapedLike.entrySet().stream()
              .map(e -> new NewTopic(e.getKey(), partitions, (short) 1).configs(e.getValue().configs())).toList())
          .all().get(30, TimeUnit.SECONDS);
    }
  }

  /** The end offsets of the raw topic: where a contender has read everything. */
  Map<TopicPartition, Long> rawEnd() throws Exception {
    try (Admin admin = kafka.admin()) {
      return rawEnd(admin, partitions);
    }
  }

  /** The end offset of each of the raw topic's {@code partitions}. */
  static Map<TopicPartition, Long> rawEnd(Admin admin, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> query = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      query.put(new TopicPartition(Topic.MARKET_DATA_RAW.topicName(), p), OffsetSpec.latest());
    }
    Map<TopicPartition, Long> end = new java.util.HashMap<>();
    admin.listOffsets(query).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> end.put(tp, o.offset()));
    return end;
  }

  @Override
  public void close() {
    kafka.close();
  }
}
