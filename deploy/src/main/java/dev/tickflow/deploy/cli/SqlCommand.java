package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.sql.ResultFormat;
import dev.tickflow.catalog.sql.SqlRunner;
import java.io.PrintWriter;
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
        "Tables: market.trades, market.ohlc. Time travel: SELECT ... FROM market.ohlc /*+ OPTIONS('snapshot-id'='N') */",
        "and the metadata tables, e.g. SELECT * FROM market.`ohlc$snapshots`."})
public final class SqlCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LakeOptions lake;

  @Parameters(index = "0", paramLabel = "STATEMENT", description = "The SQL statement. Quote it for the shell.")
  String statement;

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
      sql.run(statement, resultFormat.sink(out));
    }
    out.flush();
    return 0;
  }
}
