package dev.tickflow.deploy.ingest;

import dev.tickflow.deploy.local.EmbeddedKafka;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The replay contract on the embedded KRaft broker: runs everywhere. */
class ReplayIT extends ReplayContract {

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start(kafkaDir, freePort(), freePort(), 1);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Override
  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
