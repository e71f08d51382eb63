package dev.tickflow.jobs.audit.cli;

import dev.tickflow.jobs.audit.AuditReplay;
import dev.tickflow.jobs.audit.AuditRunLog;
import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.jobs.audit.DiffReport;
import dev.tickflow.jobs.audit.OutputDigest;
import dev.tickflow.jobs.audit.ReplayDiff;
import dev.tickflow.jobs.audit.ReplayRange;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Topic;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow replay}: re-runs a Kafka offset range of the raw trades through the live job's operators in
 * bounded mode, into a namespace of its own, and compares the result with what the live pipeline recorded.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Re-run an offset range of the raw trades through the live job's operators (bounded, in this "
        + "process) into an audit namespace of its own, and diff the candles, signals, decisions, verdicts and fills "
        + "against what the live pipeline recorded for the same records.",
        "Outputs: topics <topic>.<run-id>, Iceberg tables <run-id>.<namespace>_<table>; the run is recorded in "
            + "ops.audit_runs. Live topics, tables and consumer groups are never written.",
        "State: empty by default; --from-savepoint starts each operator from a savepoint or retained checkpoint of "
            + "the live job, so a range in the middle of a day sees what the live job saw."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:the replay equals the live record", "1:they differ (the report says where and why)",
        "2:wrong arguments, bad range, or the run failed"})
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--topic", defaultValue = "market_data.raw",
      description = "The topic to replay: the job's input (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = {"--partition", "-p"}, split = ",", paramLabel = "N",
      description = "Partitions to replay, repeatable or comma-separated (default: all).")
  List<Integer> partitions = new ArrayList<>();

  @Option(names = "--from-offset", paramLabel = "OFFSET|P:OFFSET,...",
      description = "First offset replayed, for every partition or per partition (default: the first kept).")
  String fromOffset;

  @Option(names = "--to-offset", paramLabel = "OFFSET|P:OFFSET,...",
      description = "First offset NOT replayed (end exclusive), for every partition or per partition "
          + "(default: the end).")
  String toOffset;

  @Option(names = "--from-time", paramLabel = "INSTANT",
      description = "Start at the first record Kafka timestamped at or after this, e.g. 2019-10-11T03:00:00.250Z.")
  String fromTime;

  @Option(names = "--to-time", paramLabel = "INSTANT",
      description = "End before the first record Kafka timestamped at or after this.")
  String toTime;

  @Option(names = "--from-savepoint", paramLabel = "PATH",
      description = "A savepoint or retained checkpoint of the live job (a directory with _metadata, or its URI) to "
          + "start the operators from (default: empty state).")
  String fromSavepoint;

  @Mixin AuditRunOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean json;
    Plan plan;
    try {
      plan = plan();
      json = plan.settings().json();
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    PrintWriter progress = json ? err : out;
    Instant started = Instant.now();
    String id = options.runId("audit", started);
    String bootstrapServers = options.bootstrapServers;
    ReplayRange range = null;
    Catalog lake = null;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        KafkaConsumer<byte[], byte[]> consumer = CommittedRecords.consumer(bootstrapServers)) {
      try {
        range = ReplayRange.resolve(admin, consumer, plan.request());
      } catch (IllegalArgumentException e) {
        return fail(err, e.getMessage());
      }
      lake = plan.settings().catalog().load();
      RunScope scope = AuditReplay.scope(id, range, admin, plan.job().quotesTopic());
      MarketDataJobConfig job = plan.job().toBuilder().scope(scope).groupId("tickflow-market-data").build();
      progress.printf(Locale.ROOT, "replay %s: %s %s (%,d offsets, Kafka time %s .. %s), %s%n", id, range.topic(),
          range.describe(), range.offsets(), range.firstTimestamp(), range.lastTimestamp(),
          fromSavepoint == null ? "from empty state" : "operators' state from " + fromSavepoint);
      progress.printf(Locale.ROOT, "  outputs: topics <topic>.%s, tables %s.*%n", id, id);
      progress.flush();
      AuditReplay.createTopics(admin, scope);
      Path work = Files.createTempDirectory("tickflow-" + id);
      AuditReplay.run(new AuditReplay.Plan(job, plan.settings().detectors(), plan.settings().patterns(),
          plan.settings().trading(), fromSavepoint, work), admin, progress);

      Map<String, String> outputs = new LinkedHashMap<>();
      for (Topic t : AuditReplay.OUTPUTS) {
        OutputDigest d = OutputDigest.of(bootstrapServers, scope.outputTopic(t));
        outputs.put(t.topicName(), d.records() + " " + d.sha256());
      }
      progress.println("  outputs written (records, SHA-256 of their bytes as a multiset):");
      outputs.forEach((t, d) -> progress.printf(Locale.ROOT, "    %-20s %s%n", t, d));
      progress.flush();

      DiffReport report = new ReplayDiff(lake).compare(scope, range, plan.settings().settle());
      out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
      out.flush();
      AuditRunLog.append(lake, entry(id, started, range, report.result(), report.differences().size(), outputs, null,
          report.toJson()));
      return report.identical() || "EMPTY".equals(report.result()) ? 0 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(err, "interrupted");
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (lake != null && range != null) {
        try {
          AuditRunLog.append(lake, entry(id, started, range, "FAILED", 0, Map.of(), message, null));
        } catch (RuntimeException logFailed) {
          err.println("tickflow replay: could not record the failed run: " + logFailed.getMessage());
        }
      }
      if (System.getenv("TICKFLOW_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return fail(err, message);
    } finally {
      AuditRunOptions.close(lake);
    }
  }

  private AuditRunLog.Entry entry(String id, Instant started, ReplayRange range, String result, long differences,
      Map<String, String> outputs, String error, String report) {
    return new AuditRunLog.Entry(id, "replay", started, Instant.now(),
        String.join(" ", spec.commandLine().getParseResult().originalArgs()), range.topic(), range.describe(),
        fromSavepoint == null ? "empty" : fromSavepoint, result, differences, outputs, error, report);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("tickflow replay: " + message);
    err.flush();
    return 2;
  }

  /** Everything the run needs, checked before anything is started. */
  private record Plan(ReplayRange.Request request, MarketDataJobConfig job, AuditRunOptions.Settings settings) {}

  private Plan plan() {
    if (!topic.equals(Topic.MARKET_DATA_RAW.topicName()) && Topic.byName(topic).isPresent()) {
      throw new IllegalArgumentException("replay runs the pipeline from its input, " + Topic.MARKET_DATA_RAW
          + "; '" + topic + "' is written by the pipeline itself");
    }
    if (fromSavepoint != null) {
      Path local = fromSavepoint.startsWith("file:") ? Path.of(java.net.URI.create(fromSavepoint))
          : fromSavepoint.contains("://") ? null : Path.of(fromSavepoint);
      if (local != null && !Files.isRegularFile(local.resolve("_metadata"))) {
        throw new IllegalArgumentException("--from-savepoint " + fromSavepoint + " is not a savepoint or checkpoint "
            + "(no _metadata in it)");
      }
      if (local != null) {
        fromSavepoint = local.toUri().toString();
      }
    }
    Map<Integer, Long> fromEach = new TreeMap<>();
    Map<Integer, Long> toEach = new TreeMap<>();
    Long from = offsets("--from-offset", fromOffset, fromEach);
    Long to = offsets("--to-offset", toOffset, toEach);
    ReplayRange.Request request = new ReplayRange.Request(topic, partitions, from, to, fromEach, toEach,
        fromTime == null ? null : AuditRunOptions.instant("--from-time", fromTime),
        toTime == null ? null : AuditRunOptions.instant("--to-time", toTime));
    AuditRunOptions.Settings settings = options.load(); // after the range: its mistakes are the likelier ones
    MarketDataJobConfig job = MarketDataJobConfig.builder(options.bootstrapServers).rawTopic(topic)
        .catalog(settings.catalog()).watermarkStep(settings.watermarkStep()).build();
    return new Plan(request, job, settings);
  }

  /** {@code 1200} (every partition; returned) or {@code 0:1200,1:800} (into {@code each}; null returned). */
  private static Long offsets(String option, String value, Map<Integer, Long> each) {
    if (value == null) {
      return null;
    }
    try {
      if (!value.contains(":")) {
        return Long.parseLong(value.trim());
      }
      for (String part : value.split(",")) {
        String[] pair = part.trim().split(":");
        if (pair.length != 2) {
          throw new NumberFormatException(part);
        }
        each.put(Integer.parseInt(pair[0].trim()), Long.parseLong(pair[1].trim()));
      }
      each.values().forEach(v -> {
        if (v < 0) {
          throw new IllegalArgumentException(option + ": offsets cannot be negative");
        }
      });
      return null;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " '" + value + "' is not an offset or a list of partition:offset");
    }
  }
}
