package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.ResultFormat;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.local.EmbeddedS3;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
    EmbeddedS3 warehouse = serveWarehouseIfStackIsDown(catalog);
    try (SqlRunner sql = new SqlRunner(warehouse == null ? catalog : catalog.withS3Endpoint(warehouse.endpoint()))) {
      sql.run(statement, resultFormat.sink(out));
    } finally {
      if (warehouse != null) {
        warehouse.close();
      }
    }
    out.flush();
    return 0;
  }

  /**
   * The history stays in the data directory when 'tickflow up' is stopped, but its S3 API does not: then serve
   * the warehouse from the data directory for this query, on a free port.
   */
  private EmbeddedS3 serveWarehouseIfStackIsDown(CatalogConfig catalog) throws Exception {
    Path objects = dataDir.path().resolve("s3");
    if (catalogFile != null || catalog.s3Endpoint() == null || !Files.isDirectory(objects)
        || answers(URI.create(catalog.s3Endpoint()))) {
      return null;
    }
    spec.commandLine().getErr().println("tickflow sql: the local stack is not running; reading the warehouse in "
        + objects + " directly");
    return EmbeddedS3.start(objects, 0, catalog.s3AccessKey(), catalog.s3SecretKey());
  }

  private static boolean answers(URI endpoint) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
