package dev.tickflow.deploy.cli;

import dev.tickflow.deploy.local.LocalStack;
import dev.tickflow.deploy.local.LocalStackConfig;
import dev.tickflow.relay.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code tickflow up}: the whole platform on this machine, until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start tickflow on this machine in one process: Kafka (KRaft), an S3 API with the Iceberg "
        + "warehouse, the Iceberg catalog, Flink running the market-data job (web UI), the ZeroMQ relay, and a "
        + "replay of the bundled Binance XRP/ETH trades.",
        "Ctrl-C stops it cleanly; the next 'up' carries on where it stopped."})
public final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "(default: ${DEFAULT-VALUE})")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "(default: ${DEFAULT-VALUE})")
  int kafkaControllerPort;

  @Option(names = "--s3-port", defaultValue = "9000", description = "(default: ${DEFAULT-VALUE})")
  int s3Port;

  @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:TICKFLOW_S3_ENDPOINT}",
      description = "Keep the warehouse on an S3 API you run, e.g. MinIO at http://127.0.0.1:9000, instead of the "
          + "embedded one (env TICKFLOW_S3_ENDPOINT). Needs the two keys below.")
  String s3Endpoint;

  @Option(names = "--s3-access-key", defaultValue = "${env:TICKFLOW_S3_ACCESS_KEY}",
      description = "Access key for --s3-endpoint (env TICKFLOW_S3_ACCESS_KEY).")
  String s3AccessKey;

  @Option(names = "--s3-secret-key", defaultValue = "${env:TICKFLOW_S3_SECRET_KEY}",
      description = "Secret key for --s3-endpoint (env TICKFLOW_S3_SECRET_KEY).")
  String s3SecretKey;

  @Option(names = "--catalog-jdbc-url", paramLabel = "URL", defaultValue = "${env:TICKFLOW_CATALOG_JDBC_URL}",
      description = "Keep the Iceberg catalog in a database server, e.g. jdbc:postgresql://127.0.0.1:5432/iceberg "
          + "(env TICKFLOW_CATALOG_JDBC_URL). Default: SQLite in the data directory.")
  String catalogJdbcUrl;

  @Option(names = "--catalog-jdbc-user", defaultValue = "${env:TICKFLOW_CATALOG_JDBC_USER}",
      description = "User for --catalog-jdbc-url (env TICKFLOW_CATALOG_JDBC_USER); the password comes from "
          + "env TICKFLOW_CATALOG_JDBC_PASSWORD.")
  String catalogJdbcUser;

  @Option(names = "--maintenance-interval", defaultValue = "1h", converter = DurationConverter.class,
      description = "How often to compact the tables, expire snapshots older than 7 days and remove orphan files, "
          + "as 'tickflow catalog maintain' does; 0s: never (default: ${DEFAULT-VALUE}).")
  Duration maintenanceInterval;

  @Option(names = "--rest-catalog-port", defaultValue = "8181",
      description = "Iceberg REST catalog for other engines (Spark, Trino, PyIceberg, DuckDB) (default: ${DEFAULT-VALUE}).")
  int restCatalogPort;

  @Option(names = "--sql-gateway-port", defaultValue = "8083",
      description = "Flink SQL Gateway REST endpoint for notebooks and SQL tools (default: ${DEFAULT-VALUE}).")
  int sqlGatewayPort;

  @Option(names = "--ui-port", defaultValue = "8081", description = "Flink web UI (default: ${DEFAULT-VALUE})")
  int uiPort;

  @Option(names = "--relay-ingress-port", defaultValue = "5557", description = "(default: ${DEFAULT-VALUE})")
  int relayIngressPort;

  @Option(names = "--relay-fanout-port", defaultValue = "5558", description = "(default: ${DEFAULT-VALUE})")
  int relayFanoutPort;

  @Option(names = "--relay-request-port", defaultValue = "5559",
      description = "Relay requests: PING and history requests (default: ${DEFAULT-VALUE})")
  int relayRequestPort;

  @Option(names = "--relay-work-queue-port", defaultValue = "5555",
      description = "Relay work queue, where ingestors take history requests (default: ${DEFAULT-VALUE})")
  int relayWorkQueuePort;

  @Option(names = "--speed", defaultValue = "60",
      description = "Replay speed of the sample, times real time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--detectors", paramLabel = "DIR",
      description = "Detector configs to run from the start (e.g. docs/detectors); more can be deployed live with "
          + "tickflow detector deploy.")
  Path detectors;

  @Option(names = "--trading", paramLabel = "FILE",
      description = "Advisor, risk limits and paper venue settings (docs/trading.example.yaml); default: built-in.")
  Path trading;

  @Option(names = "--no-replay", description = "Do not replay the sample: data comes from 'tickflow produce' or ingestors.")
  boolean noReplay;

  @Option(names = "--cluster",
      description = "Run the job on a standalone Flink session cluster, a JobManager and a TaskManager as their own "
          + "processes, submitted over REST as 'tickflow submit' does, instead of in this process. Its web UI and "
          + "REST API are on --ui-port; 'tickflow jobs list' manages it.")
  boolean cluster;

  @Option(names = "--checkpoint-interval", defaultValue = "10s", converter = DurationConverter.class,
      description = "Flink checkpoint interval, which is also how often Iceberg commits (default: ${DEFAULT-VALUE}).")
  Duration checkpointInterval;

  @Override
  public Integer call() throws Exception {
    if (speed < 0) {
      throw new ParameterException(spec.commandLine(), "--speed must be 0 or positive");
    }
    try {
      if (detectors != null) {
        dev.tickflow.jobs.detector.DetectorConfigs.loadDir(detectors); // refuse bad configs before starting
      }
      if (trading != null) {
        dev.tickflow.jobs.trading.TradingConfig.load(trading);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LocalStackConfig.ExternalS3 externalS3 = null;
    if (s3Endpoint != null) {
      if (s3AccessKey == null || s3SecretKey == null) {
        throw new ParameterException(spec.commandLine(),
            "--s3-endpoint needs --s3-access-key and --s3-secret-key (or TICKFLOW_S3_ACCESS_KEY/_SECRET_KEY)");
      }
      externalS3 = new LocalStackConfig.ExternalS3(s3Endpoint, s3AccessKey, s3SecretKey);
    }
    LocalStackConfig.CatalogDatabase database = null;
    if (catalogJdbcUrl != null) {
      try {
        database = new LocalStackConfig.CatalogDatabase(catalogJdbcUrl, catalogJdbcUser,
            System.getenv("TICKFLOW_CATALOG_JDBC_PASSWORD"));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--catalog-jdbc-url: " + e.getMessage());
      }
    }
    LocalStackConfig config = new LocalStackConfig(dataDir.path(), kafkaPort, kafkaControllerPort, s3Port, uiPort,
        relayIngressPort, relayFanoutPort, relayRequestPort, relayWorkQueuePort, !noReplay, speed, checkpointInterval, null, externalS3, restCatalogPort, sqlGatewayPort,
        database, maintenanceInterval, detectors, trading, cluster);
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("INT"), s -> onSignal(stop));
    Signal.handle(new Signal("TERM"), s -> onSignal(stop));

    try (LocalStack stack = LocalStack.start(config)) {
      var out = spec.commandLine().getOut();
      out.println();
      out.print(stack.describe());
      out.println();
      out.println("Try, in another terminal:");
      out.println("  ./tickflow tail 'BINANCE:XRP/ETH|ohlc:1m'");
      out.println("  ./tickflow sql 'SELECT open_time, `open`, high, low, `close`, volume FROM market.ohlc "
          + "ORDER BY open_time DESC LIMIT 5'");
      out.println(noReplay ? "" : "Replaying the bundled sample at " + (speed == 0 ? "full speed" : speed + "x") + ".");
      out.println("Ctrl-C stops everything (the Flink job with a savepoint).");
      out.flush();
      stop.await();
      out.println("stopping ...");
      out.flush();
    }
    return 0;
  }

  private static volatile boolean stopping;

  private static void onSignal(CountDownLatch stop) {
    if (stopping) {
      System.err.println("stopping without a savepoint; the next start resumes from the last checkpoint");
      Runtime.getRuntime().halt(130);
    }
    stopping = true;
    stop.countDown();
  }
}
