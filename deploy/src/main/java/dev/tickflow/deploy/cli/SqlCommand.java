package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.sql.ResultFormat;
import dev.tickflow.catalog.sql.SqlRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow sql}: Flink SQL over the Iceberg history. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run a Flink SQL statement (batch) against the tickflow Iceberg catalog and print the result.",
        "Tables: market.trades, market.ohlc, market.ohlc_revisions, market.quotes, market.gaps, signals.*, trading.*, "
            + "ops.deadletter. Time travel: SELECT ... FROM market.ohlc /*+ OPTIONS('snapshot-id'='N') */",
        "and the metadata tables, e.g. SELECT * FROM market.`ohlc$snapshots`."})
public final class SqlCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LakeOptions lake;

  @Parameters(index = "0", arity = "0..1", paramLabel = "STATEMENT",
      description = "The SQL statement. Quote it for the shell. Without one: read statements, each ended by ';', "
          + "from standard input (an interactive prompt on a terminal; 'quit' ends it).")
  String statement;

  /** Where statements come from without a STATEMENT argument; tests replace it. */
  InputStream input = System.in;

  @Option(names = "--format", defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}). Decimals print exactly.")
  String format;

  @Override
  public Integer call() throws Exception {
    ResultFormat resultFormat;
    try {
      resultFormat = ResultFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format must be table, csv or json, not '" + format + "'");
    }
    Configurator.setLevel("dev.tickflow", Level.WARN);
    PrintWriter out = spec.commandLine().getOut();
    try (LakeOptions.Lake opened = lake.open(spec.commandLine(), "tickflow sql");
        SqlRunner sql = new SqlRunner(opened.catalog())) {
      if (statement != null) {
        sql.run(statement, resultFormat.sink(out));
      } else {
        interactive(sql, resultFormat, out);
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Statements from standard input, one session (the catalog is registered once). A statement ends with a line
   * ending in ';'. A failing statement prints its error and the session goes on.
   */
  private void interactive(SqlRunner sql, ResultFormat format, PrintWriter out) throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean prompt = System.console() != null && input == System.in;
    BufferedReader lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    StringBuilder pending = new StringBuilder();
    while (true) {
      if (prompt) {
        out.print(pending.isEmpty() ? "tickflow> " : "       -> ");
        out.flush();
      }
      String line = lines.readLine();
      if (line == null) {
        break;
      }
      String trimmed = line.strip();
      if (pending.isEmpty() && (trimmed.equalsIgnoreCase("quit") || trimmed.equalsIgnoreCase("exit"))) {
        break;
      }
      if (trimmed.isEmpty() && pending.isEmpty()) {
        continue;
      }
      pending.append(line).append('\n');
      if (!trimmed.endsWith(";")) {
        continue;
      }
      String text = pending.toString().strip();
      pending.setLength(0);
      try {
        sql.run(text.substring(0, text.length() - 1), format.sink(out));
      } catch (Exception e) {
        err.println("tickflow sql: " + TickflowCli.message(e));
        err.flush();
      }
      out.flush();
    }
    if (!pending.toString().isBlank()) {
      err.println("tickflow sql: the last statement has no ';' and was not run");
      err.flush();
    }
  }
}
