package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.maintenance.LakeMaintenance;
import dev.tickflow.catalog.maintenance.MaintenancePolicy;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.Tables;
import dev.tickflow.relay.cli.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow catalog maintain}: one round of compaction, snapshot expiry, orphan removal, manifest rewrite. */
@Command(name = "maintain", mixinStandardHelpOptions = true,
    description = {"Keep the tables healthy under streaming writes, with Iceberg's own Flink maintenance tasks: "
        + "compact small data files, expire old snapshots (time travel keeps working inside the retention), "
        + "delete files no snapshot references, rewrite manifests. Prints each table before and after."})
public final class CatalogMaintainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LakeOptions lake;

  @Option(names = "--table", paramLabel = "NAMESPACE.TABLE",
      description = "A table to maintain (repeatable). Default: every tickflow table.")
  List<String> tables;

  @Option(names = "--snapshot-retention", defaultValue = "7d", converter = DurationConverter.class,
      description = "Keep snapshots younger than this: the time-travel window (default: ${DEFAULT-VALUE}).")
  Duration snapshotRetention;

  @Option(names = "--retain-last", defaultValue = "10",
      description = "Keep at least this many newest snapshots (default: ${DEFAULT-VALUE}).")
  int retainLast;

  @Option(names = "--orphan-min-age", defaultValue = "3d", converter = DurationConverter.class,
      description = "Delete unreferenced files only once this old: younger ones may belong to a commit in flight "
          + "(default: ${DEFAULT-VALUE}).")
  Duration orphanMinAge;

  @Override
  public Integer call() throws Exception {
    MaintenancePolicy policy;
    try {
      policy = new MaintenancePolicy(snapshotRetention, retainLast, orphanMinAge, 0);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<TableIdentifier> chosen;
    if (tables == null || tables.isEmpty()) {
      chosen = Tables.ALL.stream().map(TableDefinition::identifier).toList();
    } else {
      chosen = tables.stream().map(TableIdentifier::parse).toList();
      List<TableIdentifier> known = Tables.ALL.stream().map(TableDefinition::identifier).toList();
      for (TableIdentifier t : chosen) {
        if (!known.contains(t)) {
          throw new ParameterException(spec.commandLine(), "--table " + t + " is not a tickflow table; known: "
              + known);
        }
      }
    }
    Configurator.setLevel("org.apache.flink", Level.WARN);
    Configurator.setLevel("org.apache.iceberg", Level.WARN);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LakeOptions.Lake opened = lake.open(spec.commandLine(), "tickflow catalog maintain")) {
      List<LakeMaintenance.Result> results = new LakeMaintenance(opened.catalog(), policy, step -> {
        err.println("maintain: " + step + " ...");
        err.flush();
      }).run(chosen);
      for (LakeMaintenance.Result r : results) {
        out.println(r.table() + ": " + r.before() + " -> " + r.after());
      }
      if (results.isEmpty()) {
        out.println("no table has data yet: nothing to do");
      }
    }
    out.flush();
    return 0;
  }
}
