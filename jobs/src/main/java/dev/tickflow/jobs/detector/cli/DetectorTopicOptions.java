package dev.tickflow.jobs.detector.cli;

import dev.tickflow.schemas.event.DetectorConfigChange;
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
    dev.tickflow.jobs.io.TopicPublisher.publish(bootstrapServers, topic, DetectorConfigChange::getDetectorId,
        DetectorConfigChange.class, java.util.List.of(change), timeoutSeconds);
  }
}
