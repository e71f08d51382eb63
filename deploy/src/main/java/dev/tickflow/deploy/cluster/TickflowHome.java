package dev.tickflow.deploy.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the built project lives, for what a cluster needs from it: the shaded job jar and the Flink
 * distribution's classpath. {@code ./tickflow} passes {@code -Dtickflow.home}; tests find it from their working
 * directory.
 */
public final class TickflowHome {

  private TickflowHome() {}

  public static Path root() {
    String property = System.getProperty("tickflow.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("deploy/flink-cluster/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find the tickflow project (no deploy/flink-cluster/pom.xml above "
        + Path.of("").toAbsolutePath() + "); run through ./tickflow or set -Dtickflow.home");
  }

  /**
   * The shaded job jar a cluster runs: {@code TICKFLOW_JOB_JAR} (the tickflow image sets it) or this checkout's
   * {@code jobs/target/tickflow-jobs-VERSION-job.jar}.
   */
  public static Path jobJar() {
    String configured = System.getenv("TICKFLOW_JOB_JAR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path target = root().resolve("jobs/target");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      return files.filter(p -> p.getFileName().toString().matches("tickflow-jobs-.*-job\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no job jar in " + target
              + "; build it with ./mvnw -pl jobs -am package -DskipTests"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The classpath of a Flink distribution's lib/, as {@code deploy/flink-cluster} resolves it. */
  public static String flinkClasspath() {
    Path file = root().resolve("deploy/flink-cluster/target/flink-cluster.classpath");
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException("no Flink cluster classpath at " + file
          + "; build it with ./mvnw -pl deploy/flink-cluster package", e);
    }
  }
}
