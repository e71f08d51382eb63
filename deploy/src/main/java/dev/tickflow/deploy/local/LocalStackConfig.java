package dev.tickflow.deploy.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@code tickflow up} runs. Every port may be 0 for a free one (tests do that).
 *
 * @param replaySpeed speed of the bundled sample replay, times real time; 0 = as fast as possible
 * @param replay whether to replay the bundled sample at start
 * @param externalS3 an S3 API the user runs (MinIO, AWS) for the warehouse; null: start an embedded one
 * @param restCatalogPort port of the Iceberg REST catalog server the stack runs in-process
 * @param relayRequestPort the relay's request channel (ROUTER): PING and history requests
 * @param relayWorkQueuePort the relay's ingestor work queue (PUB, topic = venue prefix)
 * @param sqlGatewayPort port of the Flink SQL Gateway's REST endpoint the stack runs in-process
 * @param catalogDatabase a database server (PostgreSQL) for the Iceberg catalog; null: SQLite in the data dir
 * @param maintenanceInterval how often the stack compacts, expires and cleans its tables; null or zero: never
 * @param detectorsDir detector configs the job runs from the start; null: none (deploy them live)
 * @param tradingFile advisor, risk and paper settings; null: the defaults
 * @param sessionCluster run the job on a standalone Flink session cluster (JobManager and TaskManager processes,
 *     submitted over REST) instead of the in-process MiniCluster
 */
public record LocalStackConfig(
    Path dataDir,
    int kafkaPort,
    int kafkaControllerPort,
    int s3Port,
    int flinkUiPort,
    int relayIngressPort,
    int relayFanoutPort,
    int relayRequestPort,
    int relayWorkQueuePort,
    boolean replay,
    double replaySpeed,
    Duration checkpointInterval,
    Duration sourceIdleness,
    ExternalS3 externalS3,
    int restCatalogPort,
    int sqlGatewayPort,
    CatalogDatabase catalogDatabase,
    Duration maintenanceInterval,
    Path detectorsDir,
    Path tradingFile,
    boolean sessionCluster) {

  /** Where the warehouse lives when the user brings the S3 API, e.g. a MinIO server. */
  public record ExternalS3(String endpoint, String accessKey, String secretKey) {
    public ExternalS3 {
      if (endpoint == null || accessKey == null || secretKey == null) {
        throw new IllegalArgumentException("an external S3 endpoint needs an access key and a secret key");
      }
    }
  }

  /** The JDBC database behind the Iceberg catalog, e.g. {@code jdbc:postgresql://127.0.0.1:5432/iceberg}. */
  public record CatalogDatabase(String jdbcUrl, String user, String password) {
    public CatalogDatabase {
      if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
        throw new IllegalArgumentException("the catalog database needs a JDBC URL, e.g. "
            + "jdbc:postgresql://127.0.0.1:5432/iceberg, not '" + jdbcUrl + "'");
      }
    }
  }

  public static final int KAFKA_PORT = 9092;
  public static final int REST_CATALOG_PORT = 8181;
  public static final int SQL_GATEWAY_PORT = 8083;
  public static final int KAFKA_CONTROLLER_PORT = 9093;
  public static final int S3_PORT = 9000;
  public static final int FLINK_UI_PORT = 8081;
  public static final String BUCKET = "tickflow-warehouse";

  public LocalStackConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(10) : checkpointInterval;
    sourceIdleness = sourceIdleness == null ? Duration.ofSeconds(30) : sourceIdleness;
  }

  /** The documented defaults: the ports in the README, the sample replayed at 60x. */
  public static LocalStackConfig defaults(Path dataDir) {
    return new LocalStackConfig(dataDir, KAFKA_PORT, KAFKA_CONTROLLER_PORT, S3_PORT, FLINK_UI_PORT, 5557, 5558, 5559, 5555,
        true, 60, null, null, null, REST_CATALOG_PORT, SQL_GATEWAY_PORT, null, Duration.ofHours(1), null, null, false);
  }

  /**
   * Free ports everywhere, no replay, fast checkpoints: for tests. Every checkpoint commits each Iceberg table
   * and Kafka transaction the job has, so the interval sets much of a test stack's CPU: at one second
   * AuditReplayIT took about 20% longer than at two.
   */
  public static LocalStackConfig forTests(Path dataDir) {
    return new LocalStackConfig(dataDir, 0, 0, 0, 0, 0, 0, 0, 0, false, 0, Duration.ofSeconds(2), Duration.ofSeconds(1),
        null, 0, 0, null, null, null, null, false);
  }

  /** The same stack on other free ports (ports are not kept between runs; data is). */
  public LocalStackConfig withFreshPorts() {
    return new LocalStackConfig(dataDir, 0, 0, 0, 0, 0, 0, 0, 0, replay, replaySpeed, checkpointInterval, sourceIdleness,
        externalS3, 0, 0, catalogDatabase, maintenanceInterval, detectorsDir, tradingFile, sessionCluster);
  }

  /** The same stack with its warehouse on an S3 API the user runs. */
  public LocalStackConfig withExternalS3(ExternalS3 s3) {
    return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, s3Port, flinkUiPort, relayIngressPort,
        relayFanoutPort, relayRequestPort, relayWorkQueuePort, replay, replaySpeed, checkpointInterval, sourceIdleness, s3, restCatalogPort, sqlGatewayPort,
        catalogDatabase, maintenanceInterval, detectorsDir, tradingFile, sessionCluster);
  }

  /** The same stack with its Iceberg catalog in a database server. */
  public LocalStackConfig withCatalogDatabase(CatalogDatabase database) {
    return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, s3Port, flinkUiPort, relayIngressPort,
        relayFanoutPort, relayRequestPort, relayWorkQueuePort, replay, replaySpeed, checkpointInterval, sourceIdleness, externalS3, restCatalogPort, sqlGatewayPort,
        database, maintenanceInterval, detectorsDir, tradingFile, sessionCluster);
  }

  /** The same stack maintaining its tables every {@code interval}. */
  public LocalStackConfig withMaintenanceInterval(Duration interval) {
    return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, s3Port, flinkUiPort, relayIngressPort,
        relayFanoutPort, relayRequestPort, relayWorkQueuePort, replay, replaySpeed, checkpointInterval, sourceIdleness, externalS3, restCatalogPort, sqlGatewayPort,
        catalogDatabase, interval, detectorsDir, tradingFile, sessionCluster);
  }

  /** The same stack running these detectors from the start and this decision pipeline configuration. */
  public LocalStackConfig withTrading(Path detectors, Path trading) {
    return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, s3Port, flinkUiPort, relayIngressPort,
        relayFanoutPort, relayRequestPort, relayWorkQueuePort, replay, replaySpeed, checkpointInterval, sourceIdleness, externalS3, restCatalogPort, sqlGatewayPort,
        catalogDatabase, maintenanceInterval, detectors, trading, sessionCluster);
  }

  /** The same stack with the job on a standalone session cluster ({@code tickflow up --cluster}). */
  public LocalStackConfig withSessionCluster() {
    return new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, s3Port, flinkUiPort, relayIngressPort,
        relayFanoutPort, relayRequestPort, relayWorkQueuePort, replay, replaySpeed, checkpointInterval, sourceIdleness, externalS3, restCatalogPort, sqlGatewayPort,
        catalogDatabase, maintenanceInterval, detectorsDir, tradingFile, true);
  }
}
