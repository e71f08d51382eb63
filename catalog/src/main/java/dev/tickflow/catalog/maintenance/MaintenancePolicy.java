package dev.tickflow.catalog.maintenance;

import java.time.Duration;

/**
 * How much history the tables keep and how their files are sized.
 *
 * @param snapshotRetention snapshots younger than this stay, so time travel works inside this window
 * @param retainLast this many newest snapshots stay whatever their age
 * @param orphanMinAge a file nobody references is deleted only once it is this old: younger ones may belong to
 *     a commit still in flight (a Flink checkpoint not yet committed)
 * @param targetFileSizeBytes compaction's target; 0 takes each table's {@code write.target-file-size-bytes}
 */
public record MaintenancePolicy(Duration snapshotRetention, int retainLast, Duration orphanMinAge,
    long targetFileSizeBytes) {

  public MaintenancePolicy {
    if (snapshotRetention.isNegative() || orphanMinAge.isNegative() || retainLast < 1 || targetFileSizeBytes < 0) {
      throw new IllegalArgumentException("retention and ages must not be negative, and at least 1 snapshot stays");
    }
  }

  /** A week of time travel, at least 10 snapshots, orphans older than 3 days, each table's own file size. */
  public static MaintenancePolicy defaults() {
    return new MaintenancePolicy(Duration.ofDays(7), 10, Duration.ofDays(3), 0);
  }
}
