package dev.tickflow.jobs.advisor.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.TradingTables;
import dev.tickflow.jobs.advisor.CalibrationFitter;
import dev.tickflow.jobs.advisor.CalibrationFitter.Observation;
import dev.tickflow.jobs.advisor.ConvictionCalibrator;
import dev.tickflow.jobs.io.TopicPublisher;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.CalibrationMethod;
import dev.tickflow.schemas.event.CalibrationModel;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow calibrate}: the batch fit behind the advisor's calibration stage. Reads closed positions from
 * {@code trading.outcomes} (raw conviction at entry, won or not), fits one model per market regime plus one for
 * any regime ({@code *}), and publishes them to {@code advisor.calibration}, where the running advisor picks
 * them up. A regime with too few outcomes gets an identity model that says so.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Fit the advisor's conviction calibration from trading.outcomes and publish it to the running job.",
        "One model per market regime and one for all (*); Platt scaling or isotonic regression; too few outcomes: "
            + "the identity, saying so."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:fitted (and published unless --dry-run)", "1:the lake or Kafka failed", "2:wrong arguments"})
public final class CalibrateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--catalog", paramLabel = "FILE", defaultValue = "${env:TICKFLOW_DATA_DIR:-${sys:user.home}/.tickflow}/catalog.properties",
      description = "Iceberg catalog properties, as tickflow up writes them (default: ${DEFAULT-VALUE}).")
  Path catalog;

  @Option(names = "--method", defaultValue = "platt", description = "platt or isotonic (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--min-samples", defaultValue = "30",
      description = "Outcomes a regime needs for a fitted model (default: ${DEFAULT-VALUE}).")
  int minSamples;

  @Option(names = "--since", paramLabel = "INSTANT", description = "Only positions closed at or after this time.")
  String since;

  @Option(names = "--dry-run", description = "Print the models, publish nothing.")
  boolean dryRun;

  @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    CalibrationMethod m;
    try {
      m = CalibrationMethod.valueOf(method.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--method must be platt or isotonic, not '" + method + "'");
    }
    if (m == CalibrationMethod.IDENTITY || minSamples < 2) {
      throw new ParameterException(spec.commandLine(), m == CalibrationMethod.IDENTITY
          ? "--method must be platt or isotonic" : "--min-samples must be at least 2");
    }
    Instant from;
    try {
      from = since == null ? null : Instant.parse(since);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), "--since '" + since + "' is not an instant");
    }
    if (!catalog.toFile().isFile()) {
      throw new ParameterException(spec.commandLine(), "no catalog file " + catalog + " (is tickflow up running?)");
    }
    Map<String, List<Observation>> byRegime = read(CatalogConfig.load(catalog), from);
    Instant now = Instant.now();
    List<CalibrationModel> models = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-20s %-9s %8s  %s%n", "regime", "method", "outcomes", "model");
    for (Map.Entry<String, List<Observation>> e : byRegime.entrySet()) {
      CalibrationModel model = CalibrationFitter.model(e.getKey(), m, e.getValue(), minSamples, now);
      models.add(model);
      out.printf("%-20s %-9s %8d  %s%n", e.getKey(), model.getMethod(), model.getSamples(), describe(model));
    }
    if (dryRun) {
      out.println("dry run: nothing published");
      return 0;
    }
    TopicPublisher.publish(bootstrapServers, Topic.ADVISOR_CALIBRATION.topicName(), CalibrationModel::getRegime, CalibrationModel.class,
        models, 30);
    out.println("published " + models.size() + " model(s) to " + Topic.ADVISOR_CALIBRATION.topicName()
        + " (version " + now.toEpochMilli() + ")");
    return 0;
  }

  private static String describe(CalibrationModel model) {
    return switch (model.getMethod()) {
      case PLATT -> "a=" + model.getPlattA() + " b=" + model.getPlattB() + "; p(0.5)="
          + ConvictionCalibrator.apply(model, new BigDecimal("0.5")).toPlainString();
      case ISOTONIC -> model.getIsotonicX().size() + " knots; p(0.5)="
          + ConvictionCalibrator.apply(model, new BigDecimal("0.5")).stripTrailingZeros().toPlainString();
      default -> model.getNote();
    };
  }

  /** (raw conviction, won) per regime, and all of them under {@code *}. */
  static Map<String, List<Observation>> read(CatalogConfig config, Instant from) throws Exception {
    Catalog catalog = config.load();
    Map<String, List<Observation>> byRegime = new TreeMap<>();
    byRegime.put(ConvictionCalibrator.ANY_REGIME, new ArrayList<>());
    if (!catalog.tableExists(TradingTables.OUTCOMES_ID)) {
      return byRegime;
    }
    Table table = catalog.loadTable(TradingTables.OUTCOMES_ID);
    IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table)
        .select("raw_conviction", "outcome", "regime", "event_time");
    if (from != null) {
      scan = scan.where(Expressions.greaterThanOrEqual("event_time", from.toEpochMilli() * 1000));
    }
    try (CloseableIterable<Record> rows = scan.build()) {
      for (Record r : rows) {
        Object conviction = r.getField("raw_conviction");
        Object outcome = r.getField("outcome");
        if (conviction == null || outcome == null || "NEUTRAL".equals(outcome)) {
          continue;
        }
        Observation o = new Observation(((BigDecimal) conviction).doubleValue(), "WIN".equals(outcome));
        String regime = r.getField("regime") == null ? "unknown" : (String) r.getField("regime");
        byRegime.computeIfAbsent(regime, k -> new ArrayList<>()).add(o);
        byRegime.get(ConvictionCalibrator.ANY_REGIME).add(o);
      }
    }
    return byRegime;
  }

}
