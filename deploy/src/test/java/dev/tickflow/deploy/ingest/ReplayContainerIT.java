package dev.tickflow.deploy.ingest;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The replay contract on Apache Kafka's own image, where a Docker engine exists; skipped cleanly where none does.
 * {@link ReplayIT} covers the same contract on the embedded broker everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ReplayContainerIT extends ReplayContract {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

  @Override
  String bootstrapServers() {
    return KAFKA.getBootstrapServers();
  }
}
