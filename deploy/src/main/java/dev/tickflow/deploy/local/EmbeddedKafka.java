package dev.tickflow.deploy.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller) running in this JVM, with its
 * log directory and cluster id kept under the data directory so that a restart finds its topics and offsets.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats the storage on first use, starts the broker and creates tickflow's topics. */
  public static EmbeddedKafka start(Path dir, int port, int controllerPort, int partitions) throws IOException {
    Files.createDirectories(dir);
    Path logDir = dir.resolve("logs");
    Path clusterIdFile = dir.resolve("cluster.id");
    if (!Files.exists(clusterIdFile)) {
      Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
    }
    String clusterId = Files.readString(clusterIdFile).trim();

    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toAbsolutePath().toString());
    // One node: every replication factor and min ISR is 1, or transactions and groups never become available.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", Integer.toString(partitions));
    Path propsFile = dir.resolve("server.properties");
    try (var out = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
      props.store(out, "embedded Kafka broker of tickflow up");
    }

    ByteArrayOutputStream formatLog = new ByteArrayOutputStream();
    int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propsFile.toString(),
        "--ignore-formatted"}, new PrintStream(formatLog, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IOException("formatting Kafka storage in " + logDir + " failed: " + formatLog);
    }
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    server.startup();
    EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + port);
    kafka.createTopics(partitions);
    LOG.info("Kafka broker (KRaft) up at {}, data in {}", kafka.bootstrapServers, logDir);
    return kafka;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return admin(Map.of());
  }

  private Admin admin(Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(overrides);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return Admin.create(config);
  }

  private void createTopics(int partitions) throws IOException {
    // Short retry backoffs: topic setup waits for every new partition's leader, which on one local node is a
    // matter of milliseconds, and the default exponential backoff (to 1 s) would make each start wait seconds.
    try (Admin admin = admin(Map.of(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "10",
        AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "50"))) {
      dev.tickflow.deploy.kafka.TopicSetup.ensure(admin, partitions, (short) 1);
    }
  }


  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Kafka broker stopped");
  }
}
