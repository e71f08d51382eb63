package dev.tickflow.deploy.cluster.cli;

import dev.tickflow.deploy.cluster.FlinkRestClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow jobs list|cancel|stop}: what {@code flink list}, {@code cancel} and {@code stop} do, over REST. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "List, cancel or stop (with a savepoint) the jobs of a Flink session cluster.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.CancelJob.class, JobsCommand.StopJob.class})
public final class JobsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: list, cancel or stop");
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The cluster's jobs, running ones first.")
  static final class ListJobs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOption cluster;

    @Option(names = "--all", description = "Also finished, cancelled and failed jobs.")
    boolean all;

    @Override
    public Integer call() throws Exception {
      var out = spec.commandLine().getOut();
      java.util.List<FlinkRestClient.JobSummary> jobs = cluster.client().jobs().stream()
          .filter(j -> all || !j.ended())
          .sorted(java.util.Comparator.comparing(FlinkRestClient.JobSummary::ended)
              .thenComparing(FlinkRestClient.JobSummary::started, java.util.Comparator.reverseOrder()))
          .toList();
      if (jobs.isEmpty()) {
        out.println(all ? "no jobs" : "no running jobs (--all shows ended ones)");
        return 0;
      }
      out.printf("%-32s  %-10s  %-19s  %-10s  %s%n", "JOB ID", "STATE", "STARTED (UTC)", "UPTIME", "NAME");
      for (FlinkRestClient.JobSummary j : jobs) {
        out.printf("%-32s  %-10s  %-19s  %-10s  %s%n", j.id(), j.state(), TIME.format(j.started()),
            Duration.ofMillis(Math.max(0, j.durationMillis())).toString().substring(2).toLowerCase(), j.name());
      }
      return 0;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a job; with --savepoint take a savepoint first (the job's sinks commit nothing past it).")
  static final class CancelJob implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOption cluster;

    @Mixin RunningJob job;

    @Option(names = "--savepoint", paramLabel = "DIR", arity = "0..1", fallbackValue = "",
        description = "Take a savepoint and cancel; DIR defaults to the cluster's savepoint directory.")
    String savepoint;

    @Override
    public Integer call() throws Exception {
      FlinkRestClient rest = job.require(spec, cluster);
      String jobId = job.id;
      var out = spec.commandLine().getOut();
      if (savepoint == null) {
        rest.cancel(jobId);
        out.println("cancelled job " + jobId);
      } else {
        String location = rest.cancelWithSavepoint(jobId, savepoint.isEmpty() ? null : savepoint, job.timeout);
        out.println("cancelled job " + jobId + " with savepoint");
        out.println(location);
      }
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Stop a job gracefully with a savepoint: sources stop, the final savepoint is taken and the "
          + "sinks commit up to it, so a job submitted from it carries on with no row lost or repeated.",
          "Prints the savepoint's path for 'tickflow submit --savepoint'."})
  static final class StopJob implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOption cluster;

    @Mixin RunningJob job;

    @Option(names = "--savepoint", paramLabel = "DIR",
        description = "Where the savepoint goes (default: the cluster's savepoint directory).")
    String savepoint;

    @Option(names = "--drain",
        description = "End event time first (MAX_WATERMARK): open windows and timers fire. Only for a job that "
            + "will not be resumed: open candles would be closed early.")
    boolean drain;

    @Override
    public Integer call() throws Exception {
      FlinkRestClient rest = job.require(spec, cluster);
      String location = rest.stopWithSavepoint(job.id, savepoint, drain, job.timeout);
      var out = spec.commandLine().getOut();
      out.println("stopped job " + job.id + " with savepoint");
      out.println(location);
      return 0;
    }
  }

  /** The job a command acts on, which must exist and still run, and how long to wait for its savepoint. */
  static final class RunningJob {
    @Parameters(index = "0", paramLabel = "JOB-ID") String id;

    @Option(names = "--timeout", defaultValue = "5m", converter = dev.tickflow.relay.cli.DurationConverter.class,
        description = "How long to wait for the savepoint (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    FlinkRestClient require(CommandSpec spec, ClusterOption cluster) throws Exception {
      if (!id.matches("[0-9a-fA-F]{32}")) {
        throw new ParameterException(spec.commandLine(), "'" + id + "' is not a Flink job id (32 hex digits; "
            + "tickflow jobs list shows them)");
      }
      FlinkRestClient rest = cluster.client();
      java.util.Optional<FlinkRestClient.JobSummary> job = rest.jobs().stream().filter(j -> j.id().equals(id))
          .findFirst();
      if (job.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "the cluster at " + rest.base() + " has no job " + id);
      }
      if (job.get().ended()) {
        throw new ParameterException(spec.commandLine(), "job " + id + " already ended (" + job.get().state() + ")");
      }
      return rest;
    }
  }
}
