package dev.tickflow.jobs.audit.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.jobs.audit.AuditReplay;
import dev.tickflow.jobs.audit.AuditRunLog;
import dev.tickflow.jobs.audit.BacktestSummary;
import dev.tickflow.jobs.audit.DiffReport;
import dev.tickflow.jobs.audit.HistoryFeed;
import dev.tickflow.jobs.audit.ReplayDiff;
import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.patterns.PatternSpec;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.jobs.trading.TradingConfig;
import dev.tickflow.relay.cli.DurationConverter;
import dev.tickflow.schemas.Ticker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow backtest}: the live job's detectors, advisor, risk governor and paper execution over candles and
 * trades from the lake, into a namespace of its own, with a summary.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the detectors, advisor, risk governor and paper execution of the live job over lake history "
        + "(market.ohlc and market.trades) for some tickers and a period, in this process, and sum up the result: "
        + "trades, hit rate, profit, max drawdown, exposure.",
        "The same graph as live: over a period the live job traded, with the same settings, it gives the live "
            + "paper results (--compare-live checks). Outputs: topics <topic>.<run-id>, tables <run-id>.*; the run "
            + "is recorded in ops.audit_runs."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:done (and, with --compare-live, equal to live)", "1:--compare-live found differences",
        "2:wrong arguments, no history in the period, or the run failed"})
public final class BacktestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--tickers", split = ",", paramLabel = "TICKER",
      description = "Tickers, e.g. BINANCE:XRP/ETH, comma-separated (default: every ticker with candles in the period).")
  List<String> tickers = new ArrayList<>();

  @Option(names = "--from", required = true, paramLabel = "INSTANT", description = "Start of the period (inclusive).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "INSTANT", description = "End of the period (exclusive).")
  String to;

  @Option(names = "--detectors", paramLabel = "DIR", description = "Detector configs to run (*.yaml, *.yml, *.json).")
  Path detectors;

  @Option(names = "--patterns", paramLabel = "FILE", description = "CEP patterns (default: the bundled ones).")
  Path patterns;

  @Option(names = "--trading", paramLabel = "FILE", description = "Advisor, risk and paper settings (default: the defaults).")
  Path trading;

  @Option(names = "--compare-live", description = "Diff the signals, decisions, verdicts and fills with the live ones of the period.")
  boolean compareLive;

  @Option(names = "--settle", defaultValue = "10m",
      description = "With --compare-live: compare only rows this much older than the last trade (default: ${DEFAULT-VALUE}).")
  String settle;

  @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run (default: backtest_<time>_<random>).")
  String runId;

  @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Option(names = "--catalog", paramLabel = "FILE",
      defaultValue = "${env:TICKFLOW_DATA_DIR:-${sys:user.home}/.tickflow}/catalog.properties",
      description = "Iceberg catalog properties, as tickflow up writes them (default: ${DEFAULT-VALUE}).")
  Path catalog;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant start;
    Instant end;
    boolean json;
    CatalogConfig lakeConfig;
    List<DetectorConfig> detectorConfigs;
    List<PatternSpec> patternSpecs;
    TradingConfig tradingConfig;
    Duration settleFor;
    Set<String> tickerSet = new TreeSet<>();
    try {
      start = instant("--from", from);
      end = instant("--to", to);
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
      }
      json = switch (format.trim().toLowerCase(Locale.ROOT)) {
        case "text" -> false;
        case "json" -> true;
        default -> throw new IllegalArgumentException("--format must be text or json, not '" + format + "'");
      };
      for (String t : tickers) {
        Ticker.parse(t.trim()); // says what is wrong with a malformed one
        tickerSet.add(t.trim());
      }
      if (!Files.isRegularFile(catalog)) {
        throw new IllegalArgumentException("no catalog at " + catalog + " (is the platform up? ./tickflow up writes "
            + "it; or give --catalog FILE)");
      }
      lakeConfig = CatalogConfig.load(catalog);
      detectorConfigs = detectors == null ? List.of() : DetectorConfigs.loadDir(detectors);
      patternSpecs = patterns == null ? PatternSpecs.defaults() : PatternSpecs.load(patterns);
      tradingConfig = trading == null ? TradingConfig.defaults() : TradingConfig.load(trading);
      settleFor = DurationConverter.parse(settle);
    } catch (IllegalArgumentException | java.io.IOException e) {
      return fail(err, e.getMessage());
    }
    PrintWriter progress = json ? err : out;
    Instant started = Instant.now();
    String id = runId != null ? runId : "backtest_" + DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss")
        .withZone(ZoneOffset.UTC).format(started) + "_" + UUID.randomUUID().toString().substring(0, 4);
    Catalog lake = lakeConfig.load();
    String ranges = (tickerSet.isEmpty() ? "all tickers" : String.join(",", tickerSet)) + " " + start + ".." + end;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
      RunScope scope = RunScope.audit(id, Map.of());
      MarketDataJobConfig job = MarketDataJobConfig.builder(bootstrapServers).catalog(lakeConfig).quotesTopic("")
          .scope(scope).build();
      progress.printf(Locale.ROOT, "backtest %s: %s%n  outputs: topics <topic>.%s, tables %s.*%n", id, ranges, id, id);
      progress.flush();
      AuditReplay.createTopics(admin, scope);
      HistoryFeed.Fed fed = HistoryFeed.feed(lake, bootstrapServers, scope, tickerSet, start, end, progress);
      if (fed.candles() == 0) {
        String message = "no candles in market.ohlc for " + ranges;
        AuditRunLog.append(lake, entry(id, started, ranges, "FAILED", 0, message, null));
        return fail(err, message);
      }
      AuditReplay.runDecisions(new AuditReplay.Plan(job, detectorConfigs, patternSpecs, tradingConfig, null,
          Files.createTempDirectory("tickflow-" + id)), admin, progress);
      BacktestSummary summary = BacktestSummary.of(bootstrapServers, scope, tradingConfig.risk().startingEquity());
      DiffReport diff = null;
      if (compareLive && fed.lastTrade() != null) {
        Instant horizon = fed.lastTrade().minus(settleFor);
        diff = new ReplayDiff(lake).compareBacktest(scope, tickerSet, start, horizon);
      }
      if (json) {
        out.println("{\"runId\": \"" + id + "\", \"summary\": " + summary.toJson()
            + (diff == null ? "" : ", \"compareLive\": " + diff.toJson()) + "}");
      } else {
        out.print(summary.toText());
        if (diff != null) {
          out.print(diff.toText().replaceFirst("^replay ", "backtest "));
        }
      }
      out.flush();
      String outcome = diff == null ? "DONE" : diff.result();
      AuditRunLog.append(lake, entry(id, started, ranges, outcome, diff == null ? 0 : diff.differences().size(), null,
          "{\"summary\": " + summary.toJson() + (diff == null ? "" : ", \"compareLive\": " + diff.toJson()) + "}"));
      return diff != null && !diff.identical() && !"EMPTY".equals(diff.result()) ? 1 : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(err, "interrupted");
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      try {
        AuditRunLog.append(lake, entry(id, started, ranges, "FAILED", 0, message, null));
      } catch (RuntimeException logFailed) {
        err.println("tickflow backtest: could not record the failed run: " + logFailed.getMessage());
      }
      if (System.getenv("TICKFLOW_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return fail(err, message);
    } finally {
      if (lake instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing a catalog client loses nothing
        }
      }
    }
  }

  private AuditRunLog.Entry entry(String id, Instant started, String ranges, String outcome, long differences,
      String error, String report) {
    return new AuditRunLog.Entry(id, "backtest", started, Instant.now(),
        String.join(" ", spec.commandLine().getParseResult().originalArgs()), "market.trades, market.ohlc", ranges,
        "empty", outcome, differences, Map.of(), error, report);
  }

  private static int fail(PrintWriter err, String message) {
    err.println("tickflow backtest: " + message);
    err.flush();
    return 2;
  }

  private static Instant instant(String option, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + value + "' is not an instant like 2019-10-11T00:00:00Z");
    }
  }
}
