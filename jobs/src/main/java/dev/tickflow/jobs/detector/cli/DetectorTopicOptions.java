package dev.tickflow.jobs.detector.cli;

import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DetectorConfigChange;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/** Where detector changes go: the brokers and the (compacted) topic, and the one send that puts a change there. */
public final class DetectorTopicOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (env TICKFLOW_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--topic", defaultValue = "signals.detectors", description = "(default: ${DEFAULT-VALUE})")
  String topic;

  @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
      description = "How long to wait for Kafka to acknowledge (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** Sends the change keyed by detector id and waits until every in-sync replica has it. */
  void publish(DetectorConfigChange change) throws InterruptedException {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeoutSeconds * 1000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000 + 1000); // >= linger + request timeout
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, change.getDetectorId().getBytes(StandardCharsets.UTF_8),
          EventTypes.codec(DetectorConfigChange.class).encode(change))).get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("Kafka at " + bootstrapServers
          + " did not take the change within " + timeoutSeconds + " s: " + cause.getMessage()
          + " (is the platform up? ./tickflow up)", cause);
    }
  }
}
