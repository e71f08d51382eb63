package dev.tickflow.deploy.local;

import dev.tickflow.deploy.cluster.FlinkRestClient;
import dev.tickflow.deploy.cluster.StandaloneFlinkCluster;
import dev.tickflow.deploy.cluster.TickflowHome;
import dev.tickflow.deploy.cluster.cli.SubmitCommand;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The market-data job on a standalone session cluster (JobManager and TaskManager as their own processes),
 * submitted as a user would submit it: the shaded job jar over REST, with its command-line arguments. The state
 * layout is {@link LocalFlink}'s, so a restart resumes from the last savepoint or retained checkpoint.
 */
public final class ClusterFlink implements FlinkRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFlink.class);

  private final Path dir;
  private final StandaloneFlinkCluster cluster;
  private final FlinkRestClient rest;
  private final String jobId;
  private final String restoredFrom;
  private final List<String> args;

  private ClusterFlink(Path dir, StandaloneFlinkCluster cluster, String jobId, String restoredFrom,
      List<String> args) {
    this.dir = dir;
    this.cluster = cluster;
    this.rest = new FlinkRestClient(cluster.restUrl());
    this.jobId = jobId;
    this.restoredFrom = restoredFrom;
    this.args = List.copyOf(args);
  }

  /** Starts the cluster on {@code webUiPort} and submits the job, from the newest savepoint or checkpoint. */
  public static ClusterFlink start(Path dir, int webUiPort, MarketDataJobConfig job, Path catalogFile)
      throws Exception {
    StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(
        StandaloneFlinkCluster.Settings.defaults(dir, webUiPort), Duration.ofMinutes(2));
    try {
      Optional<String> restore = LocalFlink.restorePoint(dir);
      FlinkRestClient rest = new FlinkRestClient(cluster.restUrl());
      String jar = rest.uploadJar(TickflowHome.jobJar());
      List<String> args = jobArgs(job, catalogFile);
      String jobId;
      try {
        jobId = rest.run(jar, new FlinkRestClient.RunRequest(SubmitCommand.Job.MARKET_DATA.entryClass(),
            args, job.parallelism(), restore.orElse(null), false));
      } finally {
        rest.deleteJar(jar);
      }
      LOG.info("market-data job {} submitted to the session cluster at {}{}", jobId, cluster.restUrl(),
          restore.map(p -> ", restored from " + p).orElse(", from scratch"));
      return new ClusterFlink(dir, cluster, jobId, restore.orElse(null), args);
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  /** The job's command line for this configuration: what a user would pass to {@code tickflow submit}. */
  static List<String> jobArgs(MarketDataJobConfig c, Path catalogFile) {
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", c.bootstrapServers(),
        "--checkpoint-interval", c.checkpointInterval().toMillis() + "ms",
        "--idleness", c.idleness().toMillis() + "ms",
        "--watermark-step", c.watermarkStep().toMillis() + "ms",
        "--buffer-timeout", c.bufferTimeout().toMillis() + "ms",
        "--quotes-topic", c.quotesTopic(),
        "--parallelism", Integer.toString(c.parallelism())));
    if (catalogFile != null) {
      args.addAll(List.of("--catalog", catalogFile.toAbsolutePath().toString()));
    }
    if (c.relayIngress() != null) {
      args.addAll(List.of("--relay-ingress", c.relayIngress()));
    }
    if (c.detectorsDir() != null) {
      args.addAll(List.of("--detectors", Path.of(c.detectorsDir()).toAbsolutePath().toString()));
    }
    if (c.patternsFile() != null) {
      args.addAll(List.of("--patterns", Path.of(c.patternsFile()).toAbsolutePath().toString()));
    }
    if (c.tradingFile() != null) {
      args.addAll(List.of("--trading", Path.of(c.tradingFile()).toAbsolutePath().toString()));
    }
    return args;
  }

  /** The job's arguments as submitted: what {@code tickflow submit market-data -- ARGS} takes. */
  public List<String> jobArgs() {
    return args;
  }

  /** The job submitted at start (a job resubmitted later has another id: {@code tickflow jobs list}). */
  public String jobId() {
    return jobId;
  }

  public StandaloneFlinkCluster cluster() {
    return cluster;
  }

  @Override
  public String webUi() {
    return cluster.restUrl();
  }

  @Override
  public String restoredFrom() {
    return restoredFrom;
  }

  /**
   * Stops every running job with a savepoint, the market-data job's becoming the next start's restore point
   * (whether it is the one submitted at start or one resubmitted with {@code tickflow submit}), then the cluster.
   */
  @Override
  public void close() {
    try {
      for (FlinkRestClient.JobSummary j : rest.jobs()) {
        if (j.ended()) {
          continue;
        }
        try {
          String path = rest.stopWithSavepoint(j.id(), cluster.savepointDir().toUri().toString(), false,
              Duration.ofSeconds(60));
          if (j.name().equals(dev.tickflow.jobs.marketdata.MarketDataJob.JOB_NAME)) {
            Files.writeString(dir.resolve(LocalFlink.LATEST_SAVEPOINT), path);
          }
          LOG.info("Flink job {} ({}) stopped with savepoint {}", j.id(), j.name(), path);
        } catch (Exception e) {
          LOG.warn("stop of job {} with savepoint failed ({}); the next start resumes from the last checkpoint",
              j.id(), e.toString());
        }
      }
    } catch (Exception e) {
      LOG.warn("cannot list the cluster's jobs ({}); stopping it without savepoints", e.toString());
    } finally {
      cluster.close();
    }
  }
}
