package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.rest.RestCatalogServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow catalog serve}: the Iceberg REST catalog server over tickflow's catalog, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the tickflow catalog over the Iceberg REST protocol (Iceberg's own REST adapter and "
        + "servlet on Jetty), for Spark, Trino, PyIceberg, DuckDB or Flink: point them at http://HOST:PORT.",
        "The catalog is the one in --catalog FILE (e.g. a JDBC catalog on PostgreSQL) or the local stack's. "
        + "tickflow up already runs one on port 8181."})
public final class CatalogServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LakeOptions lake;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8181", description = "(default: ${DEFAULT-VALUE}; 0 for any free port)")
  int port;

  @Option(names = "--vend-credentials", negatable = true, defaultValue = "false",
      description = "Send the catalog's own S3 keys to clients with each table they load (only for a local "
          + "setup; by default clients bring their own keys) (default: ${DEFAULT-VALUE}).")
  boolean vendCredentials;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535, not " + port);
    }
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(stop::countDown, "catalog-serve-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (LakeOptions.Lake opened = lake.open(spec.commandLine(), "tickflow catalog serve");
        RestCatalogServer server = RestCatalogServer.start(opened.catalog(), host, port, vendCredentials)) {
      out.println("Iceberg REST catalog on " + server.uri() + " (warehouse " + opened.catalog().warehouse() + ", "
          + (opened.catalog().isEmbeddedDatabase() ? "embedded SQLite" : opened.catalog().uri()) + ")");
      out.println("Ctrl-C stops it.");
      out.flush();
      stop.await();
    }
    return 0;
  }
}
