package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.ResultFormat;
import dev.tickflow.catalog.sql.SqlRunner;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
  @Mixin DataDirOption dataDir;

  @Parameters(index = "0", paramLabel = "STATEMENT", description = "The SQL statement. Quote it for the shell.")
  String statement;

  @Option(names = "--format", defaultValue = "table",
      description = "table, csv or json (default: ${DEFAULT-VALUE}). Decimals print exactly.")
  String format;

  @Option(names = "--catalog", paramLabel = "FILE",
      description = "Catalog properties file. Default: <data-dir>/catalog.properties, written by tickflow up.")
  Path catalogFile;

  @Override
  public Integer call() throws Exception {
    ResultFormat resultFormat;
    try {
      resultFormat = ResultFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format must be table, csv or json, not '" + format + "'");
    }
    Path file = catalogFile != null ? catalogFile : dataDir.path().resolve(CatalogConfig.FILE_NAME);
    if (!Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "no catalog at " + file
          + ": start the platform with ./tickflow up first, or pass --data-dir / --catalog");
    }
    Configurator.setLevel("dev.tickflow", Level.WARN);
    CatalogConfig catalog = CatalogConfig.load(file);
    PrintWriter out = spec.commandLine().getOut();
    try (SqlRunner sql = new SqlRunner(catalog)) {
      sql.run(statement, resultFormat.sink(out));
    }
    out.flush();
    return 0;
  }
}
