package dev.tickflow.deploy.local;

import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market-data job on an in-process Flink MiniCluster with its web UI. It resumes from the last savepoint
 * (written on a clean stop) or, after a crash, the newest retained checkpoint, so Kafka offsets, dedup state and
 * Iceberg commits carry on without losing or repeating a row. A clean stop takes a savepoint.
 */
public final class LocalFlink implements FlinkRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);
  static final String LATEST_SAVEPOINT = "latest-savepoint";

  private final Path dir;
  private final JobClient job;
  private final String webUi;
  private final String restoredFrom;

  private LocalFlink(Path dir, JobClient job, String webUi, String restoredFrom) {
    this.dir = dir;
    this.job = job;
    this.webUi = webUi;
    this.restoredFrom = restoredFrom;
  }

  public static LocalFlink start(Path dir, int webUiPort, MarketDataJobConfig jobConfig) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path savepoints = dir.resolve("savepoints");
    Files.createDirectories(checkpoints);
    Files.createDirectories(savepoints);

    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, webUiPort);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints.toUri().toString());
    conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
    conf.setString("restart-strategy.type", "exponential-delay");
    Optional<String> restore = restorePoint(dir);
    restore.ifPresent(path -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, path));

    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    MarketDataJob.buildAll(env, jobConfig);
    JobClient job = env.executeAsync(MarketDataJob.JOB_NAME);
    String webUi = "http://127.0.0.1:" + webUiPort;
    LOG.info("Flink job {} running{}; web UI {}", job.getJobID(),
        restore.map(p -> ", restored from " + p).orElse(" from scratch"), webUi);
    return new LocalFlink(dir, job, webUi, restore.orElse(null));
  }

  public JobClient job() {
    return job;
  }

  @Override
  public String webUi() {
    return webUi;
  }

  @Override
  public String restoredFrom() {
    return restoredFrom;
  }

  /** The newest of: the savepoint of the last clean stop, the newest retained checkpoint. */
  static Optional<String> restorePoint(Path dir) throws IOException {
    Path marker = dir.resolve(LATEST_SAVEPOINT);
    Optional<Path> savepoint = Optional.empty();
    if (Files.exists(marker)) {
      Path p = Path.of(java.net.URI.create(Files.readString(marker).trim()));
      if (Files.exists(p.resolve("_metadata"))) {
        savepoint = Optional.of(p);
      }
    }
    Optional<Path> checkpoint;
    try (Stream<Path> files = Files.walk(dir.resolve("checkpoints"), 3)) {
      checkpoint = files.filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(Comparator.comparing(LocalFlink::modified));
    }
    Optional<Path> newest = Stream.of(savepoint, checkpoint).flatMap(Optional::stream)
        .max(Comparator.comparing(LocalFlink::modified));
    return newest.map(p -> p.toUri().toString());
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p.resolve("_metadata")).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Cancels the job without a savepoint and waits until its MiniCluster has let go of the web UI port, so a new
   * one can start on it: what is left behind is what a crash leaves, and the next start restores the newest
   * retained checkpoint.
   */
  void kill() throws Exception {
    Duration timeout = Duration.ofSeconds(60);
    job.cancel().get(timeout.toSeconds(), TimeUnit.SECONDS);
    int port = restPort();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Ports.isFree(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the cancelled job's web UI still holds port " + port + " after " + timeout);
      }
      Thread.sleep(50); // polling a port: there is nothing to wait on
    }
    LOG.info("Flink job {} killed (cancelled without a savepoint)", job.getJobID());
  }

  /** Stops the job with a savepoint (the next start resumes from it); cancels it if that fails. */
  @Override
  public void close() {
    Duration timeout = Duration.ofSeconds(60);
    try {
      String path = job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
          SavepointFormatType.CANONICAL).get(timeout.toSeconds(), TimeUnit.SECONDS);
      Files.writeString(dir.resolve(LATEST_SAVEPOINT), path);
      LOG.info("Flink job stopped with savepoint {}", path);
    } catch (Exception e) {
      LOG.warn("stop with savepoint failed ({}); cancelling: the next start resumes from the last checkpoint",
          e.toString());
      try {
        job.cancel().get(timeout.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception cancelFailed) {
        LOG.warn("cancel failed too: {}", cancelFailed.toString());
      }
    }
  }
}
