package dev.tickflow.jobs.audit;

import dev.tickflow.catalog.tables.OpsTables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;

/** Appends one row per audit run to {@code ops.audit_runs}: who, when, over what, with which code, and the result. */
public final class AuditRunLog {

  /**
   * One run as recorded.
   *
   * @param outputs per output topic: {@code "<records> <sha256>"}
   */
  public record Entry(String runId, String kind, Instant startedAt, Instant finishedAt, String command, String topic,
      String ranges, String stateFrom, String result, long differences, Map<String, String> outputs, String error,
      String report) {}

  private AuditRunLog() {}

  /** Appends {@code entry} (one small Parquet file, one commit). */
  public static void append(Catalog catalog, Entry entry) {
    Table table = OpsTables.AUDIT_RUNS.ensure(catalog);
    GenericRecord row = GenericRecord.create(table.schema());
    row.setField("run_id", entry.runId());
    row.setField("kind", entry.kind());
    row.setField("started_at", entry.startedAt().atOffset(ZoneOffset.UTC));
    row.setField("finished_at", entry.finishedAt().atOffset(ZoneOffset.UTC));
    row.setField("user_name", System.getProperty("user.name", "unknown"));
    row.setField("host", host());
    row.setField("command", entry.command());
    row.setField("topic", entry.topic());
    row.setField("ranges", entry.ranges());
    row.setField("state_from", entry.stateFrom());
    row.setField("code_version", codeVersion());
    row.setField("outcome", entry.result());
    row.setField("differences", entry.differences());
    row.setField("outputs", entry.outputs());
    row.setField("error", entry.error());
    row.setField("report", entry.report());
    OutputFile file = table.io().newOutputFile(table.locationProvider()
        .newDataLocation(entry.runId() + "-" + UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec())
        .newDataWriter(EncryptedFiles.plainAsEncryptedOutput(file), FileFormat.PARQUET, null);
    try (writer) {
      writer.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the audit run to " + OpsTables.AUDIT_RUNS_ID, e);
    }
    DataFile data = writer.toDataFile();
    table.newAppend().appendFile(data).commit();
  }

  /**
   * tickflow's version and the first 12 hex digits of the SHA-256 of the jar the operators were loaded from, so a
   * run names the exact code it ran ({@code dev} plus the version when run from classes, as in tests).
   */
  public static String codeVersion() {
    String version = AuditRunLog.class.getPackage().getImplementationVersion();
    String base = "tickflow " + (version == null ? "0.1.0-SNAPSHOT" : version);
    try {
      Path origin = Path.of(AuditRunLog.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(origin)) {
        return base + " (classes " + origin.getFileName() + ")";
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(origin)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      return base + " (" + origin.getFileName() + " sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 12)
          + ")";
    } catch (Exception e) {
      return base;
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
