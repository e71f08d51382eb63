package dev.tickflow.catalog.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/** The numbers maintenance changes: live data and delete files, snapshots, manifests. */
public record TableStats(long dataFiles, long deleteFiles, long snapshots, long manifests) {

  public static TableStats of(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new TableStats(0, 0, 0, 0);
    }
    long data = 0;
    java.util.Set<String> deletes = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        data++;
        task.deletes().forEach(d -> deletes.add(d.location()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long snapshots = 0;
    for (Snapshot ignored : table.snapshots()) {
      snapshots++;
    }
    return new TableStats(data, deletes.size(), snapshots, current.allManifests(table.io()).size());
  }

  @Override
  public String toString() {
    return dataFiles + " data files, " + deleteFiles + " delete files, " + snapshots + " snapshots, " + manifests
        + " manifests";
  }
}
