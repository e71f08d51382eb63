package dev.tickflow.deploy.local;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.maintenance.LakeMaintenance;
import dev.tickflow.catalog.maintenance.MaintenancePolicy;
import dev.tickflow.catalog.rest.RestCatalogServer;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.Tables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tickflow on one machine, in one process: Kafka (KRaft), an S3 API, the Iceberg catalog, Flink with the
 * market-data job, the relay and the sample replay. Everything lives under {@link LocalStackConfig#dataDir()};
 * a second start carries on from there. {@link #close()} stops everything in reverse order, the job with a
 * savepoint.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final LocalStackConfig config;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private volatile EmbeddedKafka kafka;
  private volatile Relay relay;
  private int[] kafkaPorts;
  private volatile FlinkRuntime flink;
  private MarketDataJobConfig jobConfig;
  private int flinkUiPort;
  private CatalogConfig catalog;
  private RestCatalogServer restCatalog;
  private EmbeddedSqlGateway sqlGateway;
  private ScheduledExecutorService maintenance;
  private final java.util.concurrent.atomic.AtomicLong maintenanceRounds = new java.util.concurrent.atomic.AtomicLong();
  private Thread replayThread;
  private volatile TradeReplay replay;

  private LocalStack(LocalStackConfig config) {
    this.config = config;
  }

  public static LocalStack start(LocalStackConfig config) throws Exception {
    LocalStack stack = new LocalStack(config);
    try {
      stack.startAll();
      return stack;
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Path dir = config.dataDir().toAbsolutePath();
    Files.createDirectories(dir);
    lockDataDir(dir);

    int kafkaPort = free("Kafka", config.kafkaPort());
    int controllerPort = free("Kafka controller", config.kafkaControllerPort());
    int uiPort = free("Flink web UI", config.flinkUiPort());

    kafka = EmbeddedKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, 1);
    kafkaPorts = new int[] {kafkaPort, controllerPort};
    running.push(() -> kafka.close()); // the broker of the moment: restartKafka replaces it
    endpoints.put("Kafka bootstrap", kafka.bootstrapServers());

    String s3Endpoint;
    Credentials s3;
    if (config.externalS3() == null) {
      s3 = Credentials.loadOrCreate(dir.resolve("s3-credentials.properties"));
      EmbeddedS3 store = EmbeddedS3.start(dir.resolve("s3"), free("S3", config.s3Port()), s3.accessKey(),
          s3.secretKey());
      running.push(store);
      s3Endpoint = store.endpoint();
      endpoints.put("S3 API (warehouse s3://" + LocalStackConfig.BUCKET + ")", s3Endpoint);
    } else {
      s3 = new Credentials(config.externalS3().accessKey(), config.externalS3().secretKey());
      s3Endpoint = config.externalS3().endpoint();
      endpoints.put("S3 API, yours (warehouse s3://" + LocalStackConfig.BUCKET + ")", s3Endpoint);
    }
    try {
      EmbeddedS3.ensureBucket(s3Endpoint, s3.accessKey(), s3.secretKey(), LocalStackConfig.BUCKET);
    } catch (Exception e) {
      S3Health.check(s3Endpoint, s3.accessKey(), s3.secretKey(), LocalStackConfig.BUCKET); // says why, if it can
      throw e;
    }
    S3Health.check(s3Endpoint, s3.accessKey(), s3.secretKey(), LocalStackConfig.BUCKET);

    LocalStackConfig.CatalogDatabase database = config.catalogDatabase();
    if (database == null) {
      catalog = CatalogConfig.sqliteOnS3(dir.resolve("catalog.db"), LocalStackConfig.BUCKET, s3Endpoint,
          s3.accessKey(), s3.secretKey());
      endpoints.put("Iceberg catalog (JDBC, embedded SQLite; --catalog-jdbc-url for PostgreSQL)",
          dir.resolve("catalog.db").toString());
    } else {
      catalog = CatalogConfig.jdbcOnS3(database.jdbcUrl(), database.user(), database.password(),
          LocalStackConfig.BUCKET, s3Endpoint, s3.accessKey(), s3.secretKey());
      endpoints.put("Iceberg catalog (JDBC)", database.jdbcUrl());
    }
    catalog.save(dir.resolve(CatalogConfig.FILE_NAME));
    migrateTables(catalog);
    // Other engines reach the same tables over Iceberg's REST protocol; the stack's own S3 keys go with each
    // table, since nobody else holds them.
    restCatalog = RestCatalogServer.start(catalog, "127.0.0.1", config.restCatalogPort(), true);
    running.push(restCatalog);
    endpoints.put("Iceberg REST catalog (Spark, Trino, PyIceberg, DuckDB)", restCatalog.uri());

    relay = Relay.start(RelayConfig.loopback(config.relayIngressPort(), config.relayFanoutPort(),
        config.relayRequestPort(), config.relayWorkQueuePort()));
    running.push(() -> relay.close()); // the relay of the moment: restartRelay replaces it
    endpoints.put("Relay ingress (publishers)", relay.ingressEndpoint());
    endpoints.put("Relay fan-out (tickflow tail)", relay.fanoutEndpoint());
    endpoints.put("Relay requests (PING, history)", relay.requestEndpoint());
    endpoints.put("Relay work queue (ingestors)", relay.workQueueEndpoint());

    MarketDataJobConfig job = jobConfig = MarketDataJobConfig.defaults(kafka.bootstrapServers(), catalog, relay.ingressEndpoint())
        .withCheckpointInterval(config.checkpointInterval())
        .withIdleness(config.sourceIdleness())
        .toBuilder()
        .detectorsDir(config.detectorsDir() == null ? null : config.detectorsDir().toString())
        .tradingFile(config.tradingFile() == null ? null : config.tradingFile().toString())
        .build();
    flink = config.sessionCluster()
        ? ClusterFlink.start(dir.resolve("flink-cluster"), uiPort, job, dir.resolve(CatalogConfig.FILE_NAME))
        : LocalFlink.start(dir.resolve("flink"), uiPort, job);
    flinkUiPort = uiPort;
    running.push(() -> flink.close()); // the runtime of the moment: killJobAndRecover replaces it
    endpoints.put(config.sessionCluster() ? "Flink session cluster (web UI, REST; tickflow jobs list)" : "Flink web UI",
        flink.webUi());
    sqlGateway = EmbeddedSqlGateway.start(dir.resolve("sql-gateway"), catalog, flink.restPort(),
        free("Flink SQL Gateway", config.sqlGatewayPort()));
    running.push(sqlGateway);
    endpoints.put("Flink SQL Gateway (REST; catalog 'tickflow')", sqlGateway.endpoint());

    Duration every = config.maintenanceInterval();
    if (every != null && !every.isZero() && !every.isNegative()) {
      maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lake-maintenance");
        t.setDaemon(true);
        return t;
      });
      running.push(maintenance::shutdownNow);
      maintenance.scheduleWithFixedDelay(this::maintainTables, every.toMillis(), every.toMillis(),
          TimeUnit.MILLISECONDS);
      endpoints.put("Table maintenance (as tickflow catalog maintain)", "every " + every);
    }

    writeStackFile(dir);
    if (config.replay()) {
      startReplay(ReplayConfig.sample(kafka.bootstrapServers(), config.replaySpeed()));
    }
  }

  /**
   * Cancels the market-data job without a savepoint, as a crash leaves it (Kafka transactions and Iceberg files of
   * the checkpoint in progress never committed), and starts it again from its newest retained checkpoint: the
   * recovery {@code tickflow up} makes after a crash, without restarting Kafka, S3 or the catalog. For tests
   * that kill the job many times; the in-process runtime only.
   *
   * @return the checkpoint the new job restored from
   */
  public String killJobAndRecover() throws Exception {
    if (!(flink instanceof LocalFlink local)) {
      throw new IllegalStateException("killJobAndRecover needs the in-process runtime, not " + flink);
    }
    local.kill();
    Path dir = config.dataDir().toAbsolutePath().resolve("flink");
    flink = LocalFlink.start(dir, flinkUiPort, jobConfig);
    return flink.restoredFrom();
  }

  /**
   * Stops the Kafka broker (a clean shutdown) and starts it again on the same ports and log directory while
   * everything else runs on, as a rolling restart of a one-broker cluster does. For tests of what the job and
   * the ingestors make of it.
   */
  public void restartKafka() throws Exception {
    Path dir = config.dataDir().toAbsolutePath().resolve("kafka");
    kafka.close();
    kafka = EmbeddedKafka.start(dir, kafkaPorts[0], kafkaPorts[1], 1);
  }

  /**
   * Stops the relay and starts a new one on the same endpoints. It keeps no state: publishers and subscribers
   * reconnect on their own (what was published while it was down is gone, as with any PUB/SUB hop). For tests.
   */
  public void restartRelay() {
    RelayConfig same = RelayConfig.loopback(port(relay.ingressEndpoint()), port(relay.fanoutEndpoint()),
        port(relay.requestEndpoint()), port(relay.workQueueEndpoint()));
    relay.close();
    relay = Relay.start(same);
  }

  private static int port(String endpoint) {
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  /** Replays in the background; the stack stops the replay when it closes. */
  public void startReplay(ReplayConfig replayConfig) {
    replayThread = new Thread(() -> {
      try (Producer<String, byte[]> producer =
          new KafkaProducer<>(RawTopicOptions.producerProperties(replayConfig.bootstrapServers()))) {
        replay = new TradeReplay(replayConfig, producer);
        replay.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.error("replay failed: {}", e.toString(), e);
      }
    }, "tickflow-replay");
    replayThread.setDaemon(true);
    replayThread.start();
  }

  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  /** The relay's request channel (ROUTER): PING and history requests. */
  public String relayRequests() {
    return relay.requestEndpoint();
  }

  /** What the relay counted so far. */
  public dev.tickflow.relay.RelayMetrics relayMetrics() {
    return relay.metrics();
  }

  /** The relay's ingestor work queue. */
  public String relayWorkQueue() {
    return relay.workQueueEndpoint();
  }

  public String relayFanout() {
    return relay.fanoutEndpoint();
  }

  /**
   * One round of {@code tickflow catalog maintain} over every table, with the default policy. A failure (a
   * commit that lost a race with the job, say) is logged and the next round tries again.
   */
  private void maintainTables() {
    try {
      List<TableIdentifier> tables = Tables.ALL.stream().map(TableDefinition::identifier).toList();
      for (LakeMaintenance.Result r : new LakeMaintenance(catalog, MaintenancePolicy.defaults(),
          step -> LOG.info("table maintenance: {}", step)).run(tables)) {
        LOG.info("table maintenance: {}: {} -> {}", r.table(), r.before(), r.after());
      }
      maintenanceRounds.incrementAndGet();
    } catch (Exception e) {
      LOG.warn("table maintenance failed; trying again in {}", config.maintenanceInterval(), e);
    }
  }

  /** What {@code tickflow catalog init} does, so that every table exists and has its newest columns. */
  private static void migrateTables(CatalogConfig config) throws Exception {
    Catalog catalog = config.load();
    try {
      for (TableDefinition.Migration m : Tables.migrateAll(catalog)) {
        if (m.change() != TableDefinition.Change.UNCHANGED) {
          LOG.info("table {} {}{}", m.identifier(), m.change().name().toLowerCase(java.util.Locale.ROOT),
              m.added().isEmpty() ? "" : " with " + m.added());
        }
      }
    } finally {
      ((AutoCloseable) catalog).close();
    }
  }

  /** How many rounds of table maintenance have completed. */
  public long maintenanceRounds() {
    return maintenanceRounds.get();
  }

  /** {@code http://127.0.0.1:port} of the in-process Iceberg REST catalog. */
  public String restCatalogUri() {
    return restCatalog.uri();
  }

  public CatalogConfig catalog() {
    return catalog;
  }

  /** The Flink SQL Gateway's REST endpoint, e.g. {@code http://127.0.0.1:8083}. */
  public String sqlGateway() {
    return sqlGateway.endpoint();
  }

  public FlinkRuntime flink() {
    return flink;
  }

  /** What runs where, in start order. */
  public Map<String, String> endpoints() {
    return Map.copyOf(endpoints);
  }

  public String describe() {
    StringBuilder s = new StringBuilder("tickflow is up. Data directory: " + config.dataDir().toAbsolutePath() + "\n");
    int width = endpoints.keySet().stream().mapToInt(String::length).max().orElse(10);
    endpoints.forEach((k, v) -> s.append("  ").append(k).append(" ".repeat(width - k.length() + 2)).append(v)
        .append('\n'));
    return s.toString();
  }

  @Override
  public void close() {
    TradeReplay r = replay;
    if (r != null) {
      r.stop();
    }
    if (replayThread != null) {
      try {
        replayThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    while (!running.isEmpty()) {
      AutoCloseable part = running.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
    LOG.info("tickflow stopped");
  }

  private int free(String what, int port) {
    int resolved = Ports.resolve(port);
    if (port != 0) {
      Ports.requireFree(what, resolved);
    }
    return resolved;
  }

  private void lockDataDir(Path dir) throws IOException {
    FileChannel channel = new RandomAccessFile(dir.resolve(".lock").toFile(), "rw").getChannel();
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("another tickflow up is using " + dir + "; stop it first");
    }
    running.push(() -> {
      lock.release();
      channel.close();
    });
  }

  private void writeStackFile(Path dir) throws IOException {
    Properties p = new Properties();
    p.setProperty("kafka.bootstrap", kafka.bootstrapServers());
    p.setProperty("relay.ingress", relay.ingressEndpoint());
    p.setProperty("relay.fanout", relay.fanoutEndpoint());
    p.setProperty("relay.requests", relay.requestEndpoint());
    p.setProperty("relay.work-queue", relay.workQueueEndpoint());
    p.setProperty("flink.web-ui", flink.webUi());
    p.setProperty("sql-gateway", sqlGateway.endpoint());
    try (var out = Files.newBufferedWriter(dir.resolve("stack.properties"), StandardCharsets.UTF_8)) {
      p.store(out, "endpoints of the running tickflow up");
    }
  }

  /** S3 keys of this data directory: generated once, kept in the data directory, never in code. */
  record Credentials(String accessKey, String secretKey) {
    static Credentials loadOrCreate(Path file) throws IOException {
      Properties p = new Properties();
      if (Files.exists(file)) {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(in);
        }
      } else {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        p.setProperty("access-key", "tickflow");
        p.setProperty("secret-key", HexFormat.of().formatHex(secret));
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          p.store(out, "S3 credentials of this tickflow data directory");
        }
      }
      return new Credentials(p.getProperty("access-key"), p.getProperty("secret-key"));
    }
  }
}
