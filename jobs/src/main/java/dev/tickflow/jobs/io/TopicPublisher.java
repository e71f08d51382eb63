package dev.tickflow.jobs.io;

import dev.tickflow.schemas.codec.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one-record send of tickflow's control commands (detector changes, risk commands, calibration models):
 * idempotent, acknowledged by every in-sync replica, and an unreachable broker said plainly within the timeout.
 */
public final class TopicPublisher {

  private TopicPublisher() {}

  /** Sends {@code events}, each keyed by {@code key}, and waits until every in-sync replica has them. */
  public static <T extends SpecificRecord> void publish(String bootstrapServers, String topic,
      java.util.function.Function<T, String> key, Class<T> type, java.util.List<T> events, int timeoutSeconds)
      throws InterruptedException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutSeconds * 1000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000 + 1000); // >= linger + request timeout
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
      for (T event : events) {
        sent.add(producer.send(new ProducerRecord<>(topic, key.apply(event).getBytes(StandardCharsets.UTF_8),
            EventTypes.codec(type).encode(event))));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(timeoutSeconds, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("Kafka at " + bootstrapServers + " did not take the record within "
          + timeoutSeconds + " s: " + cause.getMessage() + " (is the platform up? ./tickflow up)", cause);
    }
  }
}
