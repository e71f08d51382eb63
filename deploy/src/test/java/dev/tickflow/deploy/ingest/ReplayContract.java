package dev.tickflow.deploy.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.ReplaySummary;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.kafka.EventDeserializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replay must do against any real Kafka broker: trades keyed by ticker with the trade time in the
 * event-time header (the record timestamp is the ingest time), venue text intact, a bad line dead-lettered with its line number, the time window honoured.
 * Run against the embedded broker ({@link ReplayIT}) and, where Docker exists, a container
 * ({@link ReplayContainerIT}).
 */
abstract class ReplayContract {

  @TempDir Path dir;

  /** Bootstrap servers of a broker on which the test may create topics. */
  abstract String bootstrapServers();

  @Test
  void replaysTradesKeyedWithTheirTimeAndDeadLettersABadLine() throws Exception {
    String raw = newTopic("replay-raw");
    String dead = newTopic("replay-dead");
    Path file = dir.resolve("trades.csv");
    Files.writeString(file, String.join("\n",
        "13519807,0.00141342,23.00000000,15373518,15373518,1570752011620,True,True",
        "13519808,0.00141266,54.00000000,15373519,15373519,1570752011620,True,True",
        "this line is broken",
        "13519809,0.00141266,8.00000000,15373520,15373520,1570752017964,True,True",
        "13519810,0.00141379,581.00000000,15373521,15373521,1570752028907,False,True") + "\n");
    ReplayConfig config = new ReplayConfig(file, "binance-aggtrades-csv", Ticker.parse("BINANCE:XRP/ETH"), 0,
        null, Instant.ofEpochMilli(1570752028907L), bootstrapServers(), raw, dead);

    long startedAt = System.currentTimeMillis();
    ReplaySummary summary;
    try (Producer<String, byte[]> producer =
        new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrapServers()))) {
      summary = new TradeReplay(config, producer).run();
    }
    assertThat(summary.produced()).isEqualTo(3);
    assertThat(summary.deadLettered()).isEqualTo(1);
    assertThat(summary.outsideWindow()).isEqualTo(1);

    List<ConsumerRecord<String, RawTrade>> trades = read(raw, new EventDeserializer<>(RawTrade.class), 3);
    assertThat(trades).extracting(ConsumerRecord::key).containsOnly("BINANCE:XRP/ETH");
    assertThat(trades).extracting(r -> new String(r.headers().lastHeader(RecordHeaders.EVENT_TIME).value(),
            StandardCharsets.US_ASCII))
        .containsExactly("1570752011620", "1570752011620", "1570752017964");
    assertThat(trades).extracting(ConsumerRecord::timestamp).allMatch(t -> t >= startedAt);
    assertThat(trades.get(0).value().getPrice()).isEqualTo("0.00141342");
    assertThat(trades.get(0).value().getInfo()).containsEntry("quantity", "23.00000000");

    DeadLetter d = read(dead, new EventDeserializer<>(DeadLetter.class), 1).get(0).value();
    assertThat(d.getErrorType()).isEqualTo("MALFORMED_LINE");
    assertThat(d.getReason()).startsWith("line 3:").contains("expected 8 columns");
    assertThat(d.getSourceOffset()).isEqualTo(3);
    assertThat(StandardCharsets.UTF_8.decode(d.getPayload()).toString()).isEqualTo("this line is broken");
    assertThat(Topic.byName(Topic.DEADLETTER.topicName())).isPresent();
  }

  @Test
  void replaysAWebsocketRecordingSkippingAcknowledgementsAndDeadLetteringGarbage() throws Exception {
    String raw = newTopic("replay-ws-raw");
    String dead = newTopic("replay-ws-dead");
    Path file = dir.resolve("binance-ws.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"result\":null,\"id\":1}",
        "{\"stream\":\"xrpeth@trade\",\"data\":{\"e\":\"trade\",\"E\":1570752011625,\"s\":\"XRPETH\","
            + "\"t\":15373518,\"p\":\"0.00141342\",\"q\":\"23.00000000\",\"T\":1570752011620,\"m\":true,\"M\":true}}",
        "{\"stream\":\"xrpeth@trade\",\"data\":{\"e\":\"trade\",",
        "{\"stream\":\"xrpeth@trade\",\"data\":{\"e\":\"trade\",\"E\":1570752017970,\"s\":\"XRPETH\","
            + "\"t\":15373520,\"p\":\"0.00141266\",\"q\":\"8.00000000\",\"T\":1570752017964,\"m\":true,\"M\":true}}")
        + "\n");
    ReplayConfig config = new ReplayConfig(file, "binance-ws-jsonl", Ticker.parse("BINANCE:XRP/ETH"), 0, null, null,
        bootstrapServers(), raw, dead);
    ReplaySummary summary;
    try (Producer<String, byte[]> producer =
        new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrapServers()))) {
      summary = new TradeReplay(config, producer).run();
    }
    assertThat(summary.produced()).isEqualTo(2);
    assertThat(summary.ignored()).isEqualTo(1);
    assertThat(summary.deadLettered()).isEqualTo(1);
    assertThat(read(raw, new EventDeserializer<>(RawTrade.class), 2)).extracting(r -> r.value().getTradeId())
        .containsExactly("15373518", "15373520");
    DeadLetter d = read(dead, new EventDeserializer<>(DeadLetter.class), 1).get(0).value();
    assertThat(d.getReason()).startsWith("line 3:").contains("not JSON");
  }

  private String newTopic(String prefix) throws Exception {
    String name = prefix + "-" + System.nanoTime();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
    }
    return name;
  }

  private <V> List<ConsumerRecord<String, V>> read(String topic, Deserializer<V> values, int count) {
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), values)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).as("records on " + topic).hasSize(count);
      return records;
    }
  }
}
