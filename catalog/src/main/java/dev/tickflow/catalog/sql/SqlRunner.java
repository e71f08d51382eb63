package dev.tickflow.catalog.sql;

import dev.tickflow.catalog.CatalogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs Flink SQL in batch mode against the tickflow Iceberg catalog, which is registered as {@code tickflow}
 * and made current, so {@code SELECT * FROM market.ohlc} works as written. Time travel uses Iceberg's read
 * options, e.g. {@code SELECT * FROM market.ohlc /*+ OPTIONS('snapshot-id'='...') *&#47;}.
 */
public final class SqlRunner implements AutoCloseable {

  public static final String CATALOG = "tickflow";

  private final MiniCluster cluster;
  private final TableEnvironment tables;

  public SqlRunner(CatalogConfig catalog) {
    this(catalog, Map.of());
  }

  /** With extra Iceberg catalog options, e.g. {@code metrics-reporter-impl} to see scan reports. */
  public SqlRunner(CatalogConfig catalog, Map<String, String> extraCatalogOptions) {
    // One in-process cluster for the runner's life: a batch TableEnvironment on its own starts a MiniCluster for
    // every statement, which is most of a small query's time.
    Configuration clusterConf = new Configuration();
    clusterConf.set(RestOptions.BIND_PORT, "0"); // never collide with a running stack's web UI
    clusterConf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    clusterConf.set(RestOptions.ADDRESS, "127.0.0.1");
    cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
        .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
    URI rest;
    try {
      cluster.start();
      rest = cluster.getRestAddress().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the local Flink cluster for SQL: " + e.getMessage(), e);
    }
    Configuration conf = new Configuration();
    conf.set(DeploymentOptions.TARGET, "remote");
    conf.set(RestOptions.ADDRESS, rest.getHost());
    conf.set(RestOptions.PORT, rest.getPort());
    conf.setString("parallelism.default", "1");
    // TIMESTAMP literals and printed times are UTC, whatever the machine's zone: bars are on UTC boundaries.
    conf.setString("table.local-time-zone", "UTC");
    tables = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
    Map<String, String> options = new java.util.LinkedHashMap<>(catalog.flinkCatalogOptions());
    options.putAll(extraCatalogOptions);
    tables.executeSql("CREATE CATALOG " + CATALOG + " WITH (" + options(options) + ")");
    tables.useCatalog(CATALOG);
  }

  /**
   * Runs one statement and hands its rows to {@code sink} as they arrive, so a large result is never held in
   * memory. Returns the number of rows.
   */
  public long run(String sql, ResultSink sink) throws Exception {
    TableResult result = tables.executeSql(sql);
    List<String> columns = result.getResolvedSchema().getColumns().stream().map(Column::getName).toList();
    sink.start(columns);
    long n = 0;
    try (CloseableIterator<Row> rows = result.collect()) {
      while (rows.hasNext()) {
        Row row = rows.next();
        List<Object> values = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
          values.add(row.getField(i));
        }
        sink.row(values);
        n++;
      }
    }
    sink.end(n);
    return n;
  }

  /** Runs a query and returns all rows: for tests and small results. */
  public List<List<Object>> query(String sql) throws Exception {
    List<List<Object>> rows = new ArrayList<>();
    run(sql, new ResultSink() {
      @Override
      public void row(List<Object> values) {
        rows.add(values);
      }
    });
    return rows;
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }

  private static String options(Map<String, String> options) {
    return options.entrySet().stream()
        .map(e -> quote(e.getKey()) + "=" + quote(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
