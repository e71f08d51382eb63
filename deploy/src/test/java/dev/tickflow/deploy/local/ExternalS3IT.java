package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'tickflow up --s3-endpoint': the warehouse goes to an S3 API the user runs (MinIO in real life; here a separate
 * S3 server standing in for it), the bucket is made through the MinIO SDK, and nothing lands in the data dir.
 */
class ExternalS3IT {

  @TempDir Path dataDir;
  @TempDir Path usersObjectStore;

  @Test
  void theWarehouseLivesOnTheUsersS3Api() throws Exception {
    try (EmbeddedS3 users = EmbeddedS3.start(usersObjectStore, 0, "minio-user", "minio-secret-key");
        LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir)
            .withExternalS3(new LocalStackConfig.ExternalS3(users.endpoint(), "minio-user", "minio-secret-key")))) {
      ReplayConfig replay = ReplayConfig.sample(stack.kafkaBootstrap(), 0)
          .withWindow(null, Instant.parse("2019-10-11T00:30:00Z"));
      try (var producer = new KafkaProducer<String, byte[]>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()))) {
        new TradeReplay(replay, producer).run();
      }
      Catalog catalog = stack.catalog().load();
      Table trades = catalog.loadTable(MarketTables.TRADES_ID);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (trades.currentSnapshot() == null && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        trades.refresh();
      }
      assertThat(trades.currentSnapshot()).as("a commit to market.trades").isNotNull();
      assertThat(trades.location()).startsWith("s3://" + LocalStackConfig.BUCKET + "/");
      ((AutoCloseable) catalog).close();

      try (Stream<Path> files = Files.walk(usersObjectStore.resolve(LocalStackConfig.BUCKET))) {
        assertThat(files.map(Path::toString)).anyMatch(f -> f.endsWith(".parquet"))
            .anyMatch(f -> f.endsWith(".metadata.json"));
      }
      assertThat(dataDir.resolve("s3")).doesNotExist();
      assertThat(dataDir.resolve("s3-credentials.properties")).doesNotExist();
    }
  }
}
