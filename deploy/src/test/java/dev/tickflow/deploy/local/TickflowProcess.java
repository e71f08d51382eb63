package dev.tickflow.deploy.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** {@code tickflow up} in a JVM of its own, so a test can kill it as a crash would: SIGKILL, no shutdown hooks. */
final class TickflowProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private TickflowProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code tickflow up --no-replay} on free ports and waits until it says it is up. */
  static TickflowProcess up(Path dataDir, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Xmx"))
        .forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tickflow.deploy.cli.TickflowCli",
        "up", "--data-dir", dataDir.toString(), "--no-replay", "--checkpoint-interval", "2s",
        "--kafka-port", port(), "--kafka-controller-port", port(), "--s3-port", port(), "--ui-port", port(),
        "--relay-ingress-port", port(), "--relay-fanout-port", port(), "--relay-request-port", port(),
        "--relay-work-queue-port", port(), "--rest-catalog-port", port(), "--sql-gateway-port", port()));
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-" + name + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    TickflowProcess up = new TickflowProcess(p, log);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.exists(log) || !Files.readString(log).contains("tickflow is up")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String out = Files.exists(log) ? Files.readString(log) : "";
        p.destroyForcibly();
        throw new AssertionError("tickflow up did not come up:\n" + out);
      }
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    return up;
  }

  /** The endpoints the process wrote to {@code stack.properties}. */
  static Properties endpoints(Path dataDir) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(dataDir.resolve("stack.properties"))) {
      p.load(in);
    }
    return p;
  }

  /** SIGKILL: nothing is flushed, no savepoint, no clean shutdown of Kafka, S3 or the catalog. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM: the orderly stop, with a savepoint. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static String port() {
    return Integer.toString(Ports.resolve(0));
  }
}
