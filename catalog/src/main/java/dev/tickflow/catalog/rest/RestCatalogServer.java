package dev.tickflow.catalog.rest;

import dev.tickflow.catalog.CatalogConfig;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.HTTPRequest;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.apache.iceberg.rest.RESTResponse;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Iceberg REST catalog server over tickflow's catalog (a JDBC catalog on PostgreSQL or SQLite, warehouse on
 * S3): Iceberg's own {@link RESTCatalogAdapter} and {@link RESTCatalogServlet}, the pieces Iceberg's
 * RESTCatalogServer is made of, hosted on Jetty. Spark, Trino, PyIceberg, DuckDB and Flink read the same tables
 * through it as the jobs write.
 *
 * <p>{@code /v1/config} tells clients where the warehouse's S3 API is (endpoint, path-style access, region) but
 * not its keys. With {@code vendCredentials} the server's S3 keys go to clients with each loaded table, for a
 * local stack where nobody else holds them; a production deployment keeps that off and gives each engine its own
 * credentials.
 */
public final class RestCatalogServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RestCatalogServer.class);

  private final Server jetty;
  private final Catalog backend;
  private final String uri;

  private RestCatalogServer(Server jetty, Catalog backend, String uri) {
    this.jetty = jetty;
    this.backend = backend;
    this.uri = uri;
  }

  /** Starts serving {@code config}'s catalog on {@code host:port} (port 0: any free one). */
  public static RestCatalogServer start(CatalogConfig config, String host, int port, boolean vendCredentials)
      throws Exception {
    Catalog backend = config.load();
    Server jetty = new Server(new InetSocketAddress(host, port));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new RESTCatalogServlet(
        new TickflowAdapter(backend, clientDefaults(config), vendCredentials ? credentials(config) : Map.of()))),
        "/*");
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      if (backend instanceof AutoCloseable closeable) {
        closeable.close();
      }
      throw e;
    }
    int bound = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    String uri = "http://" + host + ":" + bound;
    LOG.info("Iceberg REST catalog on {} over {} ({}), warehouse {}", uri, config.catalogImpl(),
        config.isEmbeddedDatabase() ? "embedded SQLite" : "database " + config.uri(), config.warehouse());
    return new RestCatalogServer(jetty, backend, uri);
  }

  /** {@code http://host:port}: the {@code uri} of an Iceberg REST catalog client. */
  public String uri() {
    return uri;
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
    if (backend instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  private static Map<String, String> clientDefaults(CatalogConfig config) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    d.put(AwsClientProperties.CLIENT_REGION, config.s3Region());
    if (config.s3Endpoint() != null) {
      d.put(S3FileIOProperties.ENDPOINT, config.s3Endpoint());
      d.put(S3FileIOProperties.PATH_STYLE_ACCESS, "true");
    }
    return d;
  }

  private static Map<String, String> credentials(CatalogConfig config) {
    if (config.s3AccessKey() == null) {
      return Map.of();
    }
    return Map.of(S3FileIOProperties.ACCESS_KEY_ID, config.s3AccessKey(),
        S3FileIOProperties.SECRET_ACCESS_KEY, config.s3SecretKey());
  }

  /** Iceberg's adapter, with the warehouse's S3 settings added to what it answers. */
  private static final class TickflowAdapter extends RESTCatalogAdapter {
    private final Map<String, String> defaults;
    private final Map<String, String> tableConfig;

    TickflowAdapter(Catalog backend, Map<String, String> defaults, Map<String, String> credentials) {
      super(backend);
      this.defaults = defaults;
      Map<String, String> t = new LinkedHashMap<>(defaults);
      t.putAll(credentials);
      this.tableConfig = credentials.isEmpty() ? Map.of() : t;
    }

    // The servlet calls this for every request; Iceberg's own routing and handling stay untouched.
    @Override
    protected <T extends RESTResponse> T execute(HTTPRequest request, Class<T> responseType,
        Consumer<ErrorResponse> errorHandler, Consumer<Map<String, String>> responseHeaders) {
      T response = super.execute(request, responseType, errorHandler, responseHeaders);
      if (response instanceof ConfigResponse config) {
        Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(config.defaults());
        return castResponse(responseType, ConfigResponse.builder().withDefaults(merged)
            .withOverrides(config.overrides()).withEndpoints(config.endpoints()).build());
      }
      if (response instanceof LoadTableResponse table && !tableConfig.isEmpty()) {
        return castResponse(responseType, LoadTableResponse.builder().withTableMetadata(table.tableMetadata())
            .addAllConfig(table.config()).addAllConfig(tableConfig).addAllCredentials(table.credentials()).build());
      }
      return response;
    }
  }
}
