package dev.tickflow.jobs.audit.cli;

import dev.tickflow.jobs.audit.AuditReplay;
import dev.tickflow.jobs.audit.AuditRunLog;
import dev.tickflow.jobs.audit.BacktestSummary;
import dev.tickflow.jobs.audit.DiffReport;
import dev.tickflow.jobs.audit.HistoryFeed;
import dev.tickflow.jobs.audit.ReplayDiff;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Ticker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Option(names = "--compare-live", description = "Diff the signals, decisions, verdicts and fills with the live ones of the period.")
  boolean compareLive;

  @Mixin AuditRunOptions options;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant start;
    Instant end;
    AuditRunOptions.Settings settings;
    Set<String> tickerSet = new TreeSet<>();
    try {
      start = AuditRunOptions.instant("--from", from);
      end = AuditRunOptions.instant("--to", to);
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
      }
      for (String t : tickers) {
        Ticker.parse(t.trim()); // says what is wrong with a malformed one
        tickerSet.add(t.trim());
      }
      settings = options.load();
    } catch (IllegalArgumentException e) {
      return fail(err, e.getMessage());
    }
    boolean json = settings.json();
    String bootstrapServers = options.bootstrapServers;
    PrintWriter progress = json ? err : out;
    Instant started = Instant.now();
    String id = options.runId("backtest", started);
    Catalog lake = settings.catalog().load();
    String ranges = (tickerSet.isEmpty() ? "all tickers" : String.join(",", tickerSet)) + " " + start + ".." + end;
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
      RunScope scope = RunScope.audit(id, Map.of());
      MarketDataJobConfig job = MarketDataJobConfig.builder(bootstrapServers).catalog(settings.catalog()).quotesTopic("")
          .watermarkStep(settings.watermarkStep()).scope(scope).build();
      progress.printf(Locale.ROOT, "backtest %s: %s%n  outputs: topics <topic>.%s, tables %s.*%n", id, ranges, id, id);
      progress.flush();
      AuditReplay.createTopics(admin, scope);
      HistoryFeed.Fed fed = HistoryFeed.feed(lake, bootstrapServers, scope, tickerSet, start, end, progress);
      if (fed.candles() == 0) {
        String message = "no candles in market.ohlc for " + ranges;
        AuditRunLog.append(lake, entry(id, started, ranges, "FAILED", 0, message, null));
        return fail(err, message);
      }
      AuditReplay.runDecisions(new AuditReplay.Plan(job, settings.detectors(), settings.patterns(),
          settings.trading(), null, Files.createTempDirectory("tickflow-" + id)), admin, progress);
      BacktestSummary summary = BacktestSummary.of(bootstrapServers, scope,
          settings.trading().risk().startingEquity());
      DiffReport diff = null;
      if (compareLive && fed.lastTrade() != null) {
        Instant horizon = fed.lastTrade().minus(settings.settle());
        diff = new ReplayDiff(lake).compareBacktest(scope, tickerSet, start, horizon);
      }
      String report = "{\"runId\": \"" + id + "\", \"summary\": " + summary.toJson()
          + (diff == null ? "" : ", \"compareLive\": " + diff.toJson()) + "}";
      if (json) {
        out.println(report);
      } else {
        out.print(summary.toText());
        if (diff != null) {
          out.print(diff.toText().replaceFirst("^replay ", "backtest "));
        }
      }
      out.flush();
      String outcome = diff == null ? "DONE" : diff.result();
      AuditRunLog.append(lake, entry(id, started, ranges, outcome, diff == null ? 0 : diff.differences().size(), null,
          report));
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
      AuditRunOptions.close(lake);
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
}
