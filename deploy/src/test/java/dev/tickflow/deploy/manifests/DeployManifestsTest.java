package dev.tickflow.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.deploy.local.LocalStackConfig;
import dev.tickflow.relay.RelayConfig;
import dev.tickflow.schemas.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What can be checked of the compose and Kubernetes deployments without Docker or a cluster: every manifest
 * parses, images are pinned, ports and topics are the code's, every secret reference resolves, the overlays'
 * patches apply to the base, the commands given to tickflow's image are commands the CLI accepts, and the two
 * deployments agree with each other.
 */
class DeployManifestsTest {

  private static final Path COMPOSE_DIR = Path.of("compose");
  private static final Path K8S = Path.of("k8s");
  private static final YAMLMapper YAML = new YAMLMapper();

  private static final String TICKFLOW_IMAGE = "ghcr.io/tickflow/tickflow:";
  private static final String FLINK_IMAGE = "ghcr.io/tickflow/flink:";

  @Test
  void everyManifestParses() throws IOException {
    List<Path> files = yamlFiles();
    assertThat(files).hasSizeGreaterThan(10);
    for (Path f : files) {
      assertThat(docs(f)).as(f.toString()).isNotEmpty().allSatisfy(d -> assertThat(d.isObject()).isTrue());
    }
  }

  @Test
  void imagesArePinnedAndTheSameInComposeAndKubernetes() throws IOException {
    Set<String> compose = images(List.of(compose()));
    Set<String> k8s = new TreeSet<>();
    for (JsonNode d : k8sBase()) {
      k8s.addAll(images(List.of(d)));
    }
    for (String image : union(compose, k8s)) {
      assertThat(image).as("pinned: " + image).matches(".+:[^:/]+$").doesNotEndWith(":latest");
    }
    // the images both deployments run (Kafka is Strimzi's on Kubernetes: same version, checked below)
    assertThat(k8s).containsAll(compose.stream().filter(i -> !i.startsWith("apache/kafka:")).toList());
    assertThat(compose).containsAll(k8s);

    String kafkaVersion = org.apache.kafka.common.utils.AppInfoParser.getVersion();
    assertThat(compose).contains("apache/kafka:" + kafkaVersion);
    assertThat(kind("Kafka").path("spec").path("kafka").path("version").asText()).isEqualTo(kafkaVersion);

    String flinkVersion = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
    assertThat(Files.readString(Path.of("docker/Dockerfile"))).contains("FROM flink:" + flinkVersion + "-java17 AS flink")
        .contains("flink-s3-fs-hadoop-" + flinkVersion + ".jar");
    String[] v = flinkVersion.split("\\.");
    assertThat(kind("FlinkDeployment").path("spec").path("flinkVersion").asText()).isEqualTo("v" + v[0] + "_" + v[1]);
  }

  @Test
  void portsAreTheCodesDefaults() throws IOException {
    LocalStackConfig defaults = LocalStackConfig.defaults(Path.of("unused"));
    List<String> relayArgs = List.of("--ingress", "tcp://0.0.0.0:" + RelayConfig.DEFAULT_INGRESS_PORT,
        "--fanout", "tcp://0.0.0.0:" + RelayConfig.DEFAULT_FANOUT_PORT,
        "--requests", "tcp://0.0.0.0:" + RelayConfig.DEFAULT_REQUEST_PORT,
        "--work-queue", "tcp://0.0.0.0:" + RelayConfig.DEFAULT_WORK_QUEUE_PORT);
    assertThat(strings(compose().at("/services/relay/command"))).containsSubsequence(relayArgs);
    assertThat(strings(container("Deployment", "relay").path("args"))).containsSubsequence(relayArgs);
    assertThat(defaults.relayIngressPort()).isEqualTo(RelayConfig.DEFAULT_INGRESS_PORT);
    assertThat(defaults.relayFanoutPort()).isEqualTo(RelayConfig.DEFAULT_FANOUT_PORT);
    assertThat(servicePorts("relay")).contains(RelayConfig.DEFAULT_INGRESS_PORT, RelayConfig.DEFAULT_FANOUT_PORT,
        RelayConfig.DEFAULT_REQUEST_PORT, RelayConfig.DEFAULT_WORK_QUEUE_PORT);

    assertThat(servicePorts("iceberg-rest")).containsExactly(LocalStackConfig.REST_CATALOG_PORT);
    assertThat(strings(compose().at("/services/iceberg-rest/ports"))).containsExactly(
        LocalStackConfig.REST_CATALOG_PORT + ":" + LocalStackConfig.REST_CATALOG_PORT);
    assertThat(strings(compose().at("/services/jobmanager/ports"))).containsExactly(
        LocalStackConfig.FLINK_UI_PORT + ":" + LocalStackConfig.FLINK_UI_PORT);
    assertThat(servicePorts("minio")).contains(LocalStackConfig.S3_PORT);
    assertThat(kind("Kafka").at("/spec/kafka/listeners/0/port").asInt()).isEqualTo(LocalStackConfig.KAFKA_PORT);
    assertThat(compose().at("/services/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText())
        .isEqualTo("PLAINTEXT://kafka:" + LocalStackConfig.KAFKA_PORT);
    for (Path catalog : List.of(COMPOSE_DIR.resolve("config/catalog.properties"),
        K8S.resolve("base/config/catalog.properties"))) {
      assertThat(load(catalog).getProperty("s3.endpoint")).endsWith(":" + LocalStackConfig.S3_PORT);
    }
  }

  @Test
  void kafkaTopicsAreTheCodesTopicsWithTheirSettings() throws IOException {
    Map<String, JsonNode> topics = new TreeMap<>();
    for (JsonNode d : k8sBase()) {
      if (d.path("kind").asText().equals("KafkaTopic")) {
        topics.put(d.at("/spec/topicName").asText(), d);
        assertThat(d.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("tickflow");
      }
    }
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
        Stream.of(Topic.values()).map(Topic::topicName).toList());
    for (Topic t : Topic.values()) {
      JsonNode config = topics.get(t.topicName()).at("/spec/config");
      t.configs().forEach((k, v) -> assertThat(config.path(k).asText()).as(t.topicName() + " " + k).isEqualTo(v));
    }
    // compose has no topic operator: tickflow topics create makes the same topics before anything starts
    assertThat(strings(compose().at("/services/topics-init/command"))).startsWith("topics", "create");
    assertThat(compose().at("/services/jobmanager/depends_on/topics-init/condition").asText())
        .isEqualTo("service_completed_successfully");
  }

  @Test
  void everySecretReferenceResolves() throws IOException {
    // Kubernetes: every secretKeyRef names a secret and key that each overlay generates
    Set<String> referenced = new TreeSet<>();
    for (JsonNode d : k8sBase()) {
      d.findParents("secretKeyRef").forEach(p -> referenced.add(
          p.at("/secretKeyRef/name").asText() + "/" + p.at("/secretKeyRef/key").asText()));
    }
    assertThat(referenced).contains("tickflow-s3/access-key", "tickflow-s3/secret-key", "tickflow-catalog-db/password");
    for (String overlay : List.of("dev", "prod")) {
      Path dir = K8S.resolve("overlays").resolve(overlay);
      Set<String> generated = new TreeSet<>();
      for (JsonNode g : docs(dir.resolve("kustomization.yaml")).get(0).path("secretGenerator")) {
        String name = g.path("name").asText();
        for (JsonNode literal : g.path("literals")) {
          generated.add(name + "/" + literal.asText().split("=", 2)[0]);
        }
        for (JsonNode env : g.path("envs")) {
          Path example = dir.resolve(env.asText() + ".example");
          assertThat(example).as("an example of " + env.asText() + " to copy").exists();
          assertThat(dir.resolve(env.asText()).getParent().resolve(".gitignore")).content().contains("*.env");
          for (String line : Files.readAllLines(example)) {
            if (!line.isBlank() && !line.startsWith("#")) {
              generated.add(name + "/" + line.split("=", 2)[0]);
            }
          }
        }
      }
      assertThat(generated).as(overlay + " overlay's secrets").containsAll(referenced);
    }
    // compose: every required variable is in .env.example, and .env stays out of git
    Matcher m = Pattern.compile("\\$\\{(\\w+):\\?").matcher(Files.readString(COMPOSE_DIR.resolve("docker-compose.yml")));
    Set<String> required = new TreeSet<>();
    while (m.find()) {
      required.add(m.group(1));
    }
    Properties example = load(COMPOSE_DIR.resolve(".env.example"));
    assertThat(required).isNotEmpty();
    assertThat(example.stringPropertyNames()).containsAll(required);
    assertThat(COMPOSE_DIR.resolve(".gitignore")).content().contains(".env");
    // and no secret sits in a config file
    for (Path catalog : List.of(COMPOSE_DIR.resolve("config/catalog.properties"),
        K8S.resolve("base/config/catalog.properties"))) {
      Properties p = load(catalog);
      assertThat(p.stringPropertyNames()).doesNotContain("s3.secret-access-key", "s3.access-key-id", "jdbc.password");
    }
  }

  @Test
  void theTwoDeploymentsConfigureTheCatalogAndTheJobAlike() throws IOException {
    Properties compose = load(COMPOSE_DIR.resolve("config/catalog.properties"));
    Properties k8s = load(K8S.resolve("base/config/catalog.properties"));
    assertThat(compose).isEqualTo(k8s);
    CatalogConfig parsed = CatalogConfig.load(COMPOSE_DIR.resolve("config/catalog.properties"));
    assertThat(parsed.warehouse()).isEqualTo("s3://" + LocalStackConfig.BUCKET + "/");

    List<String> composeJob = strings(compose().at("/services/job-submit/command"));
    int dashes = composeJob.indexOf("--");
    List<String> composeArgs = composeJob.subList(dashes + 1, composeJob.size());
    List<String> k8sArgs = strings(kind("FlinkDeployment").at("/spec/job/args"));
    assertThat(k8sArgs.stream().map(a -> a.replace("tickflow-kafka-bootstrap:", "kafka:")).toList())
        .isEqualTo(composeArgs);
    assertThat(kind("FlinkDeployment").at("/spec/job/entryClass").asText())
        .isEqualTo(dev.tickflow.jobs.marketdata.MarketDataJob.class.getName());
    // the job's own command line takes these arguments
    CommandLine job = new CommandLine(new dev.tickflow.jobs.marketdata.MarketDataJob.Cli());
    job.parseArgs(composeArgs.toArray(String[]::new));
    job.parseArgs(k8sArgs.toArray(String[]::new));
  }

  @Test
  void everyCommandGivenToTheTickflowImageIsOneTheCliTakes() throws IOException {
    List<List<String>> commands = new ArrayList<>();
    compose().path("services").forEach(s -> {
      if (s.path("image").asText().startsWith(TICKFLOW_IMAGE)) {
        commands.add(strings(s.path("command")));
      }
    });
    for (JsonNode d : k8sBase()) {
      for (JsonNode c : d.findValues("containers")) {
        c.forEach(container -> {
          if (container.path("image").asText().startsWith(TICKFLOW_IMAGE)) {
            commands.add(strings(container.path("args")));
          }
        });
      }
    }
    assertThat(commands).hasSizeGreaterThanOrEqualTo(9);
    for (List<String> command : commands) {
      CommandLine cli = TickflowCli.commandLine();
      List<String> args = command.contains("--") ? command.subList(0, command.indexOf("--") + 1) : command;
      cli.parseArgs(args.toArray(String[]::new)); // throws on an unknown command or option
      assertThat(cli.getParseResult().subcommand()).as(String.join(" ", command)).isNotNull();
    }
  }

  @Test
  void kustomizationsListFilesThatExistAndPatchesApplyToTheBase() throws IOException {
    JsonNode base = docs(K8S.resolve("base/kustomization.yaml")).get(0);
    for (JsonNode r : base.path("resources")) {
      assertThat(K8S.resolve("base").resolve(r.asText())).exists();
    }
    for (JsonNode g : base.path("configMapGenerator")) {
      g.path("files").forEach(f -> assertThat(K8S.resolve("base").resolve(f.asText())).exists());
    }
    Set<String> listed = new TreeSet<>();
    base.path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(K8S.resolve("base"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !n.equals("kustomization.yaml"))).as("every base manifest is listed")
          .allMatch(listed::contains);
    }
    for (String overlay : List.of("dev", "prod")) {
      JsonNode k = docs(K8S.resolve("overlays").resolve(overlay).resolve("kustomization.yaml")).get(0);
      assertThat(strings(k.path("resources"))).containsExactly("../../base");
      List<JsonNode> applied = new ArrayList<>();
      for (JsonNode d : k8sBase()) {
        applied.add(d.deepCopy());
      }
      for (JsonNode patch : k.path("patches")) {
        String kind = patch.at("/target/kind").asText();
        String name = patch.at("/target/name").asText(null);
        List<JsonNode> targets = applied.stream()
            .filter(d -> d.path("kind").asText().equals(kind))
            .filter(d -> name == null || d.at("/metadata/name").asText().equals(name)).toList();
        assertThat(targets).as(overlay + ": patch target " + kind + "/" + name).isNotEmpty();
        for (JsonNode op : YAML.readTree(patch.path("patch").asText())) {
          assertThat(op.path("op").asText()).isEqualTo("replace");
          for (JsonNode target : targets) {
            replace(target, op.path("path").asText(), op.path("value"), overlay);
          }
        }
      }
      if (overlay.equals("prod")) {
        JsonNode pool = applied.stream().filter(d -> d.path("kind").asText().equals("KafkaNodePool")).findFirst()
            .orElseThrow();
        int brokers = pool.at("/spec/replicas").asInt();
        assertThat(brokers).isEqualTo(3);
        applied.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic"))
            .forEach(t -> assertThat(t.at("/spec/replicas").asInt()).isLessThanOrEqualTo(brokers).isEqualTo(3));
      }
      // every container has requests and limits for CPU and memory
      for (JsonNode d : applied) {
        for (JsonNode containers : d.findValues("containers")) {
          if (d.path("kind").asText().equals("FlinkDeployment")) {
            continue; // the operator sizes them from jobManager/taskManager resource
          }
          containers.forEach(c -> {
            for (String kindOf : List.of("requests", "limits")) {
              assertThat(c.at("/resources/" + kindOf + "/cpu").isMissingNode()).as(c.path("name") + " " + kindOf)
                  .isFalse();
              assertThat(c.at("/resources/" + kindOf + "/memory").isMissingNode()).isFalse();
            }
          });
        }
      }
    }
  }

  @Test
  void everyServerIsBehindANetworkPolicyThatAdmitsItsClients() throws IOException {
    List<JsonNode> policies = k8sBase().stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy")).toList();
    assertThat(policies).anySatisfy(p -> {
      assertThat(p.at("/spec/podSelector").size()).isZero();
      assertThat(strings(p.at("/spec/policyTypes"))).containsExactly("Ingress");
    });
    // each client label a policy admits is worn by some pod, so no policy shuts out everyone it meant to admit
    Set<String> admitted = new TreeSet<>();
    Set<String> worn = new TreeSet<>();
    for (JsonNode d : k8sBase()) {
      d.findValues("from").forEach(from -> from.forEach(peer ->
          peer.at("/podSelector/matchLabels").fields().forEachRemaining(e -> admitted.add(e.getKey()))));
      d.findValues("networkPolicyPeers").forEach(peers -> peers.forEach(peer ->
          peer.at("/podSelector/matchLabels").fields().forEachRemaining(e -> admitted.add(e.getKey()))));
      for (JsonNode template : d.findValues("template")) {
        template.at("/metadata/labels").fieldNames().forEachRemaining(worn::add);
      }
      d.at("/spec/podTemplate/metadata/labels").fieldNames().forEachRemaining(worn::add);
    }
    admitted.remove("app"); // Flink's own pod label, set by the operator
    assertThat(worn).containsAll(admitted);
    for (String server : List.of("minio", "postgres", "iceberg-rest", "relay")) {
      assertThat(policies).as("a policy for " + server)
          .anyMatch(p -> server.equals(p.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name").asText()));
    }
  }

  private static void replace(JsonNode doc, String path, JsonNode value, String overlay) {
    int slash = path.lastIndexOf('/');
    JsonNode parent = doc.at(path.substring(0, slash));
    String field = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
    assertThat(parent.isMissingNode() || !(parent.has(field) || parent.isArray()))
        .as(overlay + ": patch path " + path + " exists in " + doc.path("kind").asText()).isFalse();
    if (parent.isObject()) {
      ((ObjectNode) parent).set(field, value);
    } else {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(field), value);
    }
  }

  private static Set<Integer> servicePorts(String service) throws IOException {
    JsonNode s = k8sBase().stream().filter(d -> d.path("kind").asText().equals("Service")
        && d.at("/metadata/name").asText().equals(service)).findFirst().orElseThrow();
    Set<Integer> ports = new TreeSet<>();
    s.at("/spec/ports").forEach(p -> ports.add(p.path("port").asInt()));
    return ports;
  }

  private static JsonNode container(String kind, String name) throws IOException {
    return k8sBase().stream().filter(d -> d.path("kind").asText().equals(kind)
            && d.at("/metadata/name").asText().equals(name))
        .findFirst().orElseThrow().at("/spec/template/spec/containers/0");
  }

  private static JsonNode kind(String kind) throws IOException {
    return k8sBase().stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
  }

  private static Set<String> images(List<JsonNode> roots) {
    Set<String> images = new TreeSet<>();
    for (JsonNode root : roots) {
      root.findValues("image").forEach(i -> {
        if (i.isTextual()) {
          images.add(i.asText());
        }
      });
    }
    return images;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    return p;
  }

  private static JsonNode compose() throws IOException {
    return docs(COMPOSE_DIR.resolve("docker-compose.yml")).get(0);
  }

  private static final Map<String, List<JsonNode>> CACHE = new HashMap<>();

  private static List<JsonNode> k8sBase() throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode r : docs(K8S.resolve("base/kustomization.yaml")).get(0).path("resources")) {
      all.addAll(docs(K8S.resolve("base").resolve(r.asText())));
    }
    return all;
  }

  private static List<JsonNode> docs(Path file) throws IOException {
    List<JsonNode> cached = CACHE.get(file.toString());
    if (cached != null) {
      return cached;
    }
    // SnakeYAML itself, not Jackson's parser: compose files use merge keys (<<: *anchor), which Jackson keeps as-is
    List<JsonNode> out = new ArrayList<>();
    try (var in = Files.newBufferedReader(file)) {
      for (Object d : new org.yaml.snakeyaml.Yaml().loadAll(in)) {
        if (d != null) {
          out.add(YAML.valueToTree(d));
        }
      }
    }
    CACHE.put(file.toString(), out);
    return out;
  }

  private static List<Path> yamlFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path dir : List.of(COMPOSE_DIR, K8S)) {
      try (Stream<Path> s = Files.walk(dir)) {
        files.addAll(s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .collect(Collectors.toList()));
      }
    }
    return files;
  }
}
