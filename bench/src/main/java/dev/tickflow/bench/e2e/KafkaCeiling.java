package dev.tickflow.bench.e2e;

import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling: one plain consumer reading the raw topic and decoding every payload with tickflow's codec, doing
 * nothing else. No stream processor on this broker and machine reads faster.
 */
final class KafkaCeiling implements Contender {

  @Override
  public String name() {
    return "kafka-consumer";
  }

  @Override
  public String does() {
    return "read + decode only (ceiling)";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, input.bootstrap());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Map<TopicPartition, Long> end = input.rawEnd();
    long started = System.nanoTime();
    long decoded = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.assign(end.keySet());
      consumer.seekToBeginning(end.keySet());
      while (!end.keySet().stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (EventTypes.decodeAny(r.value()) != null) {
            decoded++;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (decoded != input.trades) {
      throw new IllegalStateException("decoded " + decoded + " of " + input.trades + " records of "
          + Topic.MARKET_DATA_RAW);
    }
    return new Outcome(seconds, -1);
  }
}
