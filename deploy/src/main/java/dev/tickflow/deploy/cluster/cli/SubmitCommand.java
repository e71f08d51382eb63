package dev.tickflow.deploy.cluster.cli;

import dev.tickflow.deploy.cluster.FlinkRestClient;
import dev.tickflow.deploy.cluster.TickflowHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow submit}: what {@code flink run -d} does, over a session cluster's REST API. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Submit a tickflow job to a Flink session cluster: uploads the shaded job jar and runs it "
        + "detached, optionally from a savepoint or retained checkpoint. Prints the job id.",
        "Job arguments follow '--', e.g.: tickflow submit market-data --cluster http://flink:8081 -- "
            + "--bootstrap-servers kafka:9092 --catalog /etc/tickflow/catalog.properties",
        "The job's own options: tickflow submit market-data -- --help (printed by the cluster's JobManager)."})
public final class SubmitCommand implements Callable<Integer> {

  /** The jobs the job jar holds, by the name users give them. */
  public enum Job {
    MARKET_DATA("market-data", "dev.tickflow.jobs.marketdata.MarketDataJob",
        "trades to candles, and with --detectors/--trading the signal and decision pipelines");

    final String cliName;
    final String entryClass;
    final String what;

    Job(String cliName, String entryClass, String what) {
      this.cliName = cliName;
      this.entryClass = entryClass;
      this.what = what;
    }

    public String entryClass() {
      return entryClass;
    }

    static Job parse(String name) {
      for (Job j : values()) {
        if (j.cliName.equals(name.toLowerCase(Locale.ROOT))) {
          return j;
        }
      }
      return null;
    }
  }

  @Spec CommandSpec spec;
  @Mixin ClusterOption cluster;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job: market-data (${COMPLETION-CANDIDATES}).",
      completionCandidates = JobNames.class)
  String job;

  @Parameters(index = "1..*", paramLabel = "JOB-ARG", description = "Arguments of the job, after '--'.")
  List<String> jobArgs = new ArrayList<>();

  @Option(names = "--savepoint", paramLabel = "PATH",
      description = "Start from this savepoint or retained checkpoint (as 'tickflow jobs stop' printed it).")
  String savepoint;

  @Option(names = "--allow-non-restored-state",
      description = "With --savepoint: start even if the savepoint holds state of operators the job no longer has.")
  boolean allowNonRestoredState;

  @Option(names = "--parallelism", defaultValue = "0",
      description = "Default parallelism of the job; 0: the job's own setting (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--jar", paramLabel = "FILE",
      description = "The shaded job jar (default: jobs/target/tickflow-jobs-VERSION-job.jar of this checkout).")
  Path jar;

  @Override
  public Integer call() throws Exception {
    Job j = Job.parse(job);
    if (j == null) {
      throw new ParameterException(spec.commandLine(), "unknown job '" + job + "'; the jobs are: "
          + String.join(", ", new JobNames()));
    }
    if (parallelism < 0) {
      throw new ParameterException(spec.commandLine(), "--parallelism must be 0 or positive");
    }
    if (allowNonRestoredState && savepoint == null) {
      throw new ParameterException(spec.commandLine(), "--allow-non-restored-state needs --savepoint");
    }
    Path jarFile = jar == null ? TickflowHome.jobJar() : jar;
    if (!Files.isRegularFile(jarFile)) {
      throw new ParameterException(spec.commandLine(), "--jar: no such file " + jarFile);
    }
    FlinkRestClient rest = cluster.client();
    var out = spec.commandLine().getOut();
    out.printf("uploading %s (%,d MB) to %s ...%n", jarFile.getFileName(), Files.size(jarFile) >> 20, rest.base());
    out.flush();
    String jarId = rest.uploadJar(jarFile);
    try {
      String jobId;
      try {
        jobId = rest.run(jarId, new FlinkRestClient.RunRequest(j.entryClass, jobArgs, parallelism, savepoint,
            allowNonRestoredState));
      } catch (java.io.IOException e) {
        if (savepoint != null && e.getMessage().contains("not available in the new program")) {
          throw new java.io.IOException(e.getMessage() + " -- the savepoint holds state of operators this job "
              + "does not have: give the job the same arguments as the one that took it (--relay-ingress, "
              + "--catalog, --detectors ... decide which pipelines exist), or drop that state with "
              + "--allow-non-restored-state", e);
        }
        throw e;
      }
      out.printf("submitted %s as job %s%s%n", j.cliName, jobId, savepoint == null ? "" : ", from " + savepoint);
      out.println(jobId);
      return 0;
    } finally {
      rest.deleteJar(jarId); // the cluster keeps the classes it needs; the upload dir should not fill up
    }
  }

  /** The job names, for help and completion. */
  static final class JobNames extends ArrayList<String> {
    JobNames() {
      for (Job j : Job.values()) {
        add(j.cliName);
      }
    }
  }
}
