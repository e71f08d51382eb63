package dev.tickflow.catalog.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;
import org.apache.iceberg.metrics.ScanReport;

/**
 * An Iceberg metrics reporter that keeps every scan report, for tests that show what a query read. Set it with
 * the catalog option {@code metrics-reporter-impl}; the reports of every catalog in the JVM land in one list.
 */
public final class RecordingScanReporter implements MetricsReporter {

  public static final List<ScanReport> SCANS = new CopyOnWriteArrayList<>();

  @Override
  public void report(MetricsReport report) {
    if (report instanceof ScanReport scan) {
      SCANS.add(scan);
    }
  }
}
