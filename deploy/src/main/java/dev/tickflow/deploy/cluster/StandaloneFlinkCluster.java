package dev.tickflow.deploy.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink standalone session cluster on this machine: a JobManager and a TaskManager, each its own JVM, started
 * as Flink's {@code jobmanager.sh} and {@code taskmanager.sh} start them (memory flags from Flink's
 * {@code BashJavaUtils}, a {@code config.yaml} in a config directory, Log4j 2 logs), from the Flink jars that
 * {@code deploy/flink-cluster} resolves. Jobs reach it over REST ({@link FlinkRestClient}) like any session
 * cluster. {@link #close()} stops both processes.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StandaloneFlinkCluster.class);
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final String PID_FILE = "cluster.pids";

  /**
   * How the cluster runs.
   *
   * @param dir config, logs, uploads, checkpoints and savepoints go under it
   * @param restPort REST and web UI port (0: a free one)
   * @param slots task slots of the one TaskManager
   * @param taskManagerMemory {@code taskmanager.memory.process.size}
   * @param jobManagerMemory {@code jobmanager.memory.process.size}
   */
  public record Settings(Path dir, int restPort, int slots, String taskManagerMemory, String jobManagerMemory) {
    public static Settings defaults(Path dir, int restPort) {
      return new Settings(dir, restPort, 4, "1600m", "1024m");
    }
  }

  private final Settings settings;
  private final String restUrl;
  private final List<Process> processes = new ArrayList<>();

  private StandaloneFlinkCluster(Settings settings, String restUrl) {
    this.settings = settings;
    this.restUrl = restUrl;
  }

  /** Starts both processes and returns once the TaskManager has registered its slots. */
  public static StandaloneFlinkCluster start(Settings settings, Duration timeout) throws Exception {
    Path dir = settings.dir().toAbsolutePath();
    Path conf = dir.resolve("conf");
    Path logs = dir.resolve("log");
    for (Path p : List.of(conf, logs, dir.resolve("checkpoints"), dir.resolve("savepoints"), dir.resolve("uploads"),
        dir.resolve("tmp"))) {
      Files.createDirectories(p);
    }
    int restPort = settings.restPort() == 0 ? dev.tickflow.deploy.local.Ports.resolve(0) : settings.restPort();
    writeConfig(conf, dir, settings, restPort);
    writeLogConfig(conf);

    String classpath = TickflowHome.flinkClasspath();
    stopLeftovers(dir);
    StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(settings, "http://127.0.0.1:" + restPort);
    try {
      cluster.launch("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          "GET_JM_RESOURCE_PARAMS", classpath, conf, logs);
      cluster.launch("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          "GET_TM_RESOURCE_PARAMS", classpath, conf, logs);
      Files.writeString(dir.resolve(PID_FILE), cluster.processes.stream().map(p -> Long.toString(p.pid()))
          .reduce((a, b) -> a + "\n" + b).orElse(""));
      cluster.awaitSlots(timeout, logs);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}: REST API and web UI. */
  public String restUrl() {
    return restUrl;
  }

  public Path savepointDir() {
    return settings.dir().toAbsolutePath().resolve("savepoints");
  }

  public Path checkpointDir() {
    return settings.dir().toAbsolutePath().resolve("checkpoints");
  }

  public Path logDir() {
    return settings.dir().toAbsolutePath().resolve("log");
  }

  /** Whether both processes still run. */
  public boolean alive() {
    return processes.stream().allMatch(Process::isAlive);
  }

  private static void writeConfig(Path conf, Path dir, Settings s, int restPort) throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", "127.0.0.1");
    c.put("jobmanager.rpc.port", Integer.toString(dev.tickflow.deploy.local.Ports.resolve(0)));
    c.put("jobmanager.bind-host", "127.0.0.1");
    c.put("jobmanager.memory.process.size", s.jobManagerMemory());
    c.put("taskmanager.host", "127.0.0.1");
    c.put("taskmanager.bind-host", "127.0.0.1");
    c.put("taskmanager.rpc.port", "0");
    c.put("taskmanager.data.port", "0");
    c.put("taskmanager.numberOfTaskSlots", Integer.toString(s.slots()));
    c.put("taskmanager.memory.process.size", s.taskManagerMemory());
    // state lives on the heap (hashmap backend): RocksDB's managed memory would only take heap room away
    c.put("taskmanager.memory.managed.size", "64m");
    c.put("rest.address", "127.0.0.1");
    c.put("rest.bind-address", "127.0.0.1");
    c.put("rest.port", Integer.toString(restPort));
    c.put("blob.server.port", "0");
    c.put("parallelism.default", "1");
    c.put("state.backend.type", "hashmap");
    c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
    c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
    c.put("execution.checkpointing.num-retained", "3");
    c.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    c.put("restart-strategy.type", "exponential-delay");
    c.put("web.upload.dir", dir.resolve("uploads").toString());
    c.put("io.tmp.dirs", dir.resolve("tmp").toString());
    StringBuilder yaml = new StringBuilder("# written by tickflow for a standalone session cluster on this machine\n");
    c.forEach((k, v) -> yaml.append(k).append(": ").append(v.contains(":") ? "\"" + v + "\"" : v).append('\n'));
    Files.writeString(conf.resolve("config.yaml"), yaml.toString());
  }

  private static void writeLogConfig(Path conf) throws IOException {
    Files.writeString(conf.resolve("log4j.properties"), """
        rootLogger.level = INFO
        rootLogger.appenderRef.file.ref = MainAppender
        logger.kafka.name = org.apache.kafka
        logger.kafka.level = WARN
        logger.hadoop.name = org.apache.hadoop
        logger.hadoop.level = WARN
        appender.main.name = MainAppender
        appender.main.type = File
        appender.main.append = true
        appender.main.fileName = ${sys:log.file}
        appender.main.layout.type = PatternLayout
        appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
        """);
  }

  /**
   * Processes of a cluster on this directory that outlived their parent (a killed {@code tickflow up --cluster})
   * would hold its ports: stop them first.
   */
  private static void stopLeftovers(Path dir) throws IOException {
    Path pids = dir.resolve(PID_FILE);
    if (!Files.exists(pids)) {
      return;
    }
    String confDir = dir.resolve("conf").toString();
    for (String line : Files.readAllLines(pids)) {
      if (line.isBlank()) {
        continue;
      }
      ProcessHandle.of(Long.parseLong(line.trim()))
          .filter(ph -> ph.info().commandLine().map(c -> c.contains(confDir)).orElse(false))
          .ifPresent(ph -> {
            LOG.warn("stopping Flink process {} left over from an earlier run on {}", ph.pid(), dir);
            ph.destroy();
            ph.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
              ph.destroyForcibly();
              return ph;
            }).join();
          });
    }
    Files.delete(pids);
  }

  private void launch(String role, String mainClass, String resourceCommand, String classpath, Path conf, Path logs)
      throws Exception {
    List<String> resources = resourceParams(resourceCommand, classpath, conf);
    List<String> command = new ArrayList<>();
    if (SETSID.isPresent()) {
      // a session of its own: Ctrl-C in the terminal signals the whole foreground group, and the cluster must
      // live on until the stack has stopped its jobs with savepoints
      command.add(SETSID.get());
    }
    command.add(javaExecutable());
    command.addAll(moduleOpens());
    command.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
    command.add("-Dlog.file=" + logs.resolve(role + ".log"));
    command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(role + ".out").toFile()))
        .start();
    processes.add(p);
    LOG.info("Flink {} started (pid {}), log {}", role, p.pid(), logs.resolve(role + ".log"));
  }

  /** What Flink's scripts ask BashJavaUtils for: JVM memory flags, then the memory settings they imply. */
  private static List<String> resourceParams(String command, String classpath, Path conf) throws Exception {
    Process p = new ProcessBuilder(javaExecutable(), "-cp", classpath,
        "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", conf.toString())
        .redirectErrorStream(true).start();
    List<String> results = new ArrayList<>();
    List<String> output = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        output.add(line);
        if (line.startsWith(RESULT_PREFIX)) {
          results.add(line.substring(RESULT_PREFIX.length()));
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || results.size() < 2) {
      throw new IllegalStateException("Flink's BashJavaUtils " + command + " failed: " + String.join("\n", output));
    }
    return results.subList(results.size() - 2, results.size());
  }

  private void awaitSlots(Duration timeout, Path logs) throws Exception {
    FlinkRestClient rest = new FlinkRestClient(restUrl);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a Flink process exited with " + p.exitValue() + " while starting; see "
              + logs);
        }
      }
      try {
        FlinkRestClient.Overview o = rest.overview();
        if (o.taskManagers() >= 1 && o.slotsTotal() >= settings.slots()) {
          LOG.info("Flink {} session cluster up at {}: {} task manager(s), {} slots", o.flinkVersion(), restUrl,
              o.taskManagers(), o.slotsTotal());
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Flink cluster did not come up within " + timeout.toSeconds()
            + " s; see " + logs);
      }
      Thread.sleep(250); // polling a process we do not control
    }
  }

  /** The JVM flags this JVM was given for Flink on Java 17 (the launcher's and the tests' one list). */
  private static List<String> moduleOpens() {
    List<String> out = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) {
        out.add(a);
      }
    }
    if (out.isEmpty()) {
      out.add("--add-opens=java.base/java.util=ALL-UNNAMED");
      out.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    }
    return out;
  }

  private static final java.util.Optional<String> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
      .filter(p -> Files.isExecutable(Path.of(p))).findFirst();

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          LOG.warn("Flink process {} did not stop in 20 s; killing it", p.pid());
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
    try {
      Files.deleteIfExists(settings.dir().toAbsolutePath().resolve(PID_FILE));
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", PID_FILE, e.toString());
    }
  }
}
