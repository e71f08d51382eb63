package dev.tickflow.jobs.audit.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.patterns.PatternSpec;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.jobs.trading.TradingConfig;
import dev.tickflow.relay.cli.DurationConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * What {@code tickflow replay} and {@code tickflow backtest} share: the live job's settings to run with, where
 * Kafka and the lake are, how to name the run, how to report. Loading is checked up front, so a bad file is a
 * clear error (exit 2) before anything starts.
 */
public final class AuditRunOptions {

  @Option(names = "--detectors", paramLabel = "DIR",
      description = "The detector configs the live job runs (as given to tickflow up --detectors); detectors "
          + "deployed live since are read from signals.detectors, as a job starting now would.")
  Path detectors;

  @Option(names = "--patterns", paramLabel = "FILE",
      description = "CEP patterns, as the live job's (default: the bundled ones).")
  Path patterns;

  @Option(names = "--trading", paramLabel = "FILE",
      description = "Advisor, risk and paper settings, as the live job's (default: the defaults).")
  Path trading;

  @Option(names = "--watermark-step", paramLabel = "DURATION",
      description = "The live job's --watermark-step: where its watermarks fell decides what was late (default: the "
          + "job's default, 100ms).")
  String watermarkStep;

  @Option(names = "--settle", defaultValue = "10m",
      description = "Compare only rows at least this much older than the last trade read: newer ones the live job "
          + "may still hold (default: ${DEFAULT-VALUE}).")
  String settle;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Name of the run: lower-case letters, digits, '_' (default: <command>_<time>_<random>).")
  String runId;

  @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--catalog", paramLabel = "FILE",
      defaultValue = "${env:TICKFLOW_DATA_DIR:-${sys:user.home}/.tickflow}/catalog.properties",
      description = "Iceberg catalog properties, as tickflow up writes them (default: ${DEFAULT-VALUE}).")
  Path catalog;

  /** The live job's settings as loaded from the options. */
  record Settings(CatalogConfig catalog, List<DetectorConfig> detectors, List<PatternSpec> patterns,
      TradingConfig trading, Duration settle, boolean json, Duration watermarkStep) {} // null step: the job's default

  /** Loads and checks everything; an {@link IllegalArgumentException} says what is wrong. */
  Settings load() {
    boolean json = switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> false;
      case "json" -> true;
      default -> throw new IllegalArgumentException("--format must be text or json, not '" + format + "'");
    };
    if (!Files.isRegularFile(catalog)) {
      throw new IllegalArgumentException("no catalog at " + catalog + " (is the platform up? ./tickflow up writes it; "
          + "or give --catalog FILE)");
    }
    CatalogConfig lake;
    try {
      lake = CatalogConfig.load(catalog);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the catalog properties " + catalog + ": " + e.getMessage());
    }
    return new Settings(lake, detectors == null ? List.of() : DetectorConfigs.loadDir(detectors),
        patterns == null ? PatternSpecs.defaults() : PatternSpecs.load(patterns),
        trading == null ? TradingConfig.defaults() : TradingConfig.load(trading), DurationConverter.parse(settle),
        json, watermarkStep == null ? null : DurationConverter.parse(watermarkStep));
  }

  /** The given run id, or {@code <kind>_<yyyyMMdd't'HHmmss>_<4 hex>}. */
  String runId(String kind, Instant now) {
    return runId != null ? runId : kind + "_" + DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss")
        .withZone(ZoneOffset.UTC).format(now) + "_" + UUID.randomUUID().toString().substring(0, 4);
  }

  /** {@code value} as an instant, or a clear error naming {@code option}. */
  static Instant instant(String option, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + value + "' is not an instant like 2019-10-11T03:00:00.250Z");
    }
  }

  /** Closes a catalog client if it holds resources; closing loses nothing. */
  static void close(Object catalog) {
    if (catalog instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // nothing to lose
      }
    }
  }
}
