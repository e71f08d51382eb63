package dev.tickflow.catalog.maintenance;

import dev.tickflow.catalog.CatalogConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.maintenance.api.DeleteOrphanFiles;
import org.apache.iceberg.flink.maintenance.api.ExpireSnapshots;
import org.apache.iceberg.flink.maintenance.api.JdbcLockFactory;
import org.apache.iceberg.flink.maintenance.api.MaintenanceTaskBuilder;
import org.apache.iceberg.flink.maintenance.api.RewriteDataFiles;
import org.apache.iceberg.flink.maintenance.api.TableMaintenance;
import org.apache.iceberg.flink.maintenance.operator.TableChange;

/**
 * One round of maintenance over tables that streaming writes keep adding small files and snapshots to:
 * compaction and snapshot expiry and orphan-file removal by Iceberg's own Flink maintenance tasks
 * ({@link TableMaintenance}), and a manifest rewrite by Iceberg's core API, before the expiry so that its
 * snapshot is not left over.
 *
 * <p>Iceberg's tasks are built for a long-running job that a table's commits trigger. Here each task runs in a
 * bounded job fed one synthetic "table changed" event per table, which triggers it once; the job ends when the
 * task has. A job runs one task for every table at once; the tasks of one table run one after the other, as
 * Iceberg's maintenance lock requires.
 */
public final class LakeMaintenance {

  /** A table before and after. */
  public record Result(TableIdentifier table, TableStats before, TableStats after) {}

  private final CatalogConfig config;
  private final MaintenancePolicy policy;
  private final Consumer<String> progress;

  public LakeMaintenance(CatalogConfig config, MaintenancePolicy policy, Consumer<String> progress) {
    this.config = config;
    this.policy = policy;
    this.progress = progress;
  }

  /** Maintains the given tables (those without any snapshot are left alone) and reports each. */
  public List<Result> run(List<TableIdentifier> tables) throws Exception {
    Map<TableIdentifier, TableStats> before = new LinkedHashMap<>();
    Catalog catalog = config.load();
    try {
      for (TableIdentifier id : tables) {
        TableStats stats = TableStats.of(catalog.loadTable(id));
        if (stats.snapshots() > 0) {
          before.put(id, stats);
        }
      }
      List<TableIdentifier> live = new ArrayList<>(before.keySet());
      if (!live.isEmpty()) {
        progress.accept("compacting data files of " + live.size() + " tables");
        runTask(live, "rewrite", RewriteDataFiles::builder,
            b -> policy.targetFileSizeBytes() > 0 ? b.targetFileSizeBytes(policy.targetFileSizeBytes()) : b);
        progress.accept("rewriting manifests");
        for (TableIdentifier id : live) {
          Table table = catalog.loadTable(id);
          if (table.currentSnapshot().allManifests(table.io()).size() > 1) {
            // one manifest per partition spec: the many small ones each streaming commit added become one
            table.rewriteManifests().clusterBy(file -> file.specId()).commit();
          }
        }
        progress.accept("expiring snapshots older than " + policy.snapshotRetention() + " (keeping the last "
            + policy.retainLast() + ")");
        runTask(live, "expire", ExpireSnapshots::builder,
            b -> b.maxSnapshotAge(policy.snapshotRetention()).retainLast(policy.retainLast()));
        progress.accept("removing files no snapshot references, older than " + policy.orphanMinAge());
        runTask(live, "orphans", DeleteOrphanFiles::builder, b -> b.minAge(policy.orphanMinAge()));
      }
      List<Result> results = new ArrayList<>();
      for (Map.Entry<TableIdentifier, TableStats> e : before.entrySet()) {
        results.add(new Result(e.getKey(), e.getValue(), TableStats.of(catalog.loadTable(e.getKey()))));
      }
      return results;
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private <B extends MaintenanceTaskBuilder<B>> void runTask(List<TableIdentifier> tables, String name,
      java.util.function.Supplier<B> builder, java.util.function.UnaryOperator<B> configure) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_PORT, "0"); // never collide with a running stack's web UI
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    // Locks in a SQLite file of this run's own, not Iceberg's default coordinator locks: those are released by an
    // operator event to the trigger's task, and the bounded trigger's task can have finished by then; Flink then
    // fails the job ("An OperatorEvent ... was lost"), and on a loaded machine every retry lost the same race.
    // A fresh file per run also means a crashed run never leaves a lock behind.
    Path locks = Files.createTempDirectory("tickflow-maintenance-locks-");
    try {
      for (TableIdentifier id : tables) {
        String suffix = name + "-" + id.toString().replace('.', '-');
        JdbcLockFactory lock = new JdbcLockFactory("jdbc:sqlite:" + locks.resolve(suffix + ".db"), id.toString(),
            Map.of(JdbcLockFactory.INIT_LOCK_TABLES_PROPERTY, "true"));
        TableMaintenance.forChangeStream(
                env.fromData(TableChange.builder().commitCount(1).build()).name("trigger " + id),
                TableLoader.fromCatalog(config.flinkLoader(), id), lock)
            .uidSuffix(suffix)
            .rateLimit(java.time.Duration.ofMillis(10))
            .lockCheckDelay(java.time.Duration.ofMillis(10))
            .add(configure.apply(builder.get()).scheduleOnCommitCount(1).uidSuffix(suffix))
            .append();
      }
      env.execute("tickflow catalog maintain: " + name);
    } finally {
      try (var files = Files.walk(locks)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
