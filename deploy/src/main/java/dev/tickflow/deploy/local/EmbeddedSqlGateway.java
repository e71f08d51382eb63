package dev.tickflow.deploy.local;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.gateway.SqlGateway;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.session.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink's SQL Gateway (REST endpoint) in the stack's JVM, submitting to the stack's Flink, with the tickflow
 * Iceberg catalog in its catalog store: notebooks, JDBC tools and anything that speaks the gateway's REST API
 * run SQL over the history without a Flink install. Statements run in batch mode; tables are
 * {@code tickflow.market.ohlc} (or {@code USE CATALOG tickflow} first).
 */
public final class EmbeddedSqlGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqlGateway.class);

  private final SqlGateway gateway;
  private final String endpoint;

  private EmbeddedSqlGateway(SqlGateway gateway, String endpoint) {
    this.gateway = gateway;
    this.endpoint = endpoint;
  }

  /**
   * @param flinkRestPort the REST port of the Flink cluster that runs the statements
   * @param port the gateway's REST port
   */
  public static EmbeddedSqlGateway start(Path dir, CatalogConfig catalog, int flinkRestPort, int port)
      throws Exception {
    Path store = dir.resolve("catalogs");
    writeCatalog(store, catalog);
    Configuration conf = new Configuration();
    conf.setString("sql-gateway.endpoint.rest.address", "127.0.0.1");
    conf.setString("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
    conf.setString("sql-gateway.endpoint.rest.port", Integer.toString(port));
    conf.setString("execution.target", "remote");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.port", Integer.toString(flinkRestPort));
    conf.setString("execution.runtime-mode", "batch");
    // The streaming job holds most slots of the stack's one task manager; history queries are small.
    conf.setString("parallelism.default", "1");
    conf.setString("table.local-time-zone", "UTC");
    conf.setString("table.catalog-store.kind", "file");
    conf.setString("table.catalog-store.file.path", store.toUri().toString());
    SqlGateway gateway = new SqlGateway(conf, SessionManager.create(new DefaultContext(conf, List.of())));
    gateway.start();
    String endpoint = "http://127.0.0.1:" + port;
    LOG.info("Flink SQL Gateway on {} (catalog '{}')", endpoint, SqlRunner.CATALOG);
    return new EmbeddedSqlGateway(gateway, endpoint);
  }

  /** {@code http://127.0.0.1:port}: the gateway's REST API, e.g. {@code POST /v1/sessions}. */
  public String endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    gateway.stop();
  }

  /** The catalog as Flink's file catalog store keeps it: one YAML file of its options. */
  private static void writeCatalog(Path store, CatalogConfig catalog) throws IOException {
    Files.createDirectories(store);
    StringBuilder yaml = new StringBuilder();
    for (Map.Entry<String, String> option : catalog.flinkCatalogOptions().entrySet()) {
      yaml.append(option.getKey()).append(": '").append(option.getValue().replace("'", "''")).append("'\n");
    }
    Files.writeString(store.resolve(SqlRunner.CATALOG + ".yaml"), yaml, StandardCharsets.UTF_8);
  }
}
