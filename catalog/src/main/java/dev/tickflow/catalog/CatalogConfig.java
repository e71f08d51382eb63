package dev.tickflow.catalog;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Where the Iceberg catalog and warehouse are: the one typed place for it. The local stack writes it to
 * {@code <data-dir>/catalog.properties}; {@code tickflow sql}, the jobs and the tests read it from there.
 *
 * @param catalogImpl Iceberg catalog class, e.g. {@code org.apache.iceberg.jdbc.JdbcCatalog}
 * @param uri catalog URI (JDBC URL or REST endpoint)
 * @param warehouse warehouse location, e.g. {@code s3://tickflow-warehouse/}
 * @param s3Endpoint S3 API endpoint (MinIO, S3Proxy); null for AWS itself
 * @param jdbcUser user of a JDBC catalog's database (PostgreSQL); null when the URL needs none (SQLite)
 * @param jdbcPassword its password; kept in the properties file or {@code TICKFLOW_CATALOG_JDBC_PASSWORD}
 */
public record CatalogConfig(
    String name,
    String catalogImpl,
    String uri,
    String warehouse,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String s3Region,
    String jdbcUser,
    String jdbcPassword) {

  public static final String JDBC = "org.apache.iceberg.jdbc.JdbcCatalog";
  public static final String REST = "org.apache.iceberg.rest.RESTCatalog";
  public static final String FILE_NAME = "catalog.properties";

  public CatalogConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(catalogImpl, "catalogImpl");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(warehouse, "warehouse");
    s3Region = s3Region == null ? "us-east-1" : s3Region;
  }

  /** A JDBC catalog in a SQLite file, with the warehouse on an S3 API: what the local stack runs. */
  public static CatalogConfig sqliteOnS3(Path sqliteFile, String bucket, String s3Endpoint, String accessKey,
      String secretKey) {
    // WAL and a busy timeout: the stack's job and a separate 'tickflow sql' process share the file.
    String uri = "jdbc:sqlite:" + sqliteFile.toAbsolutePath() + "?journal_mode=WAL&busy_timeout=30000";
    return new CatalogConfig("tickflow", JDBC, uri, "s3://" + bucket + "/", s3Endpoint, accessKey, secretKey, null,
        null, null);
  }

  /** A JDBC catalog in a real database server (PostgreSQL), with the warehouse on an S3 API. */
  public static CatalogConfig jdbcOnS3(String jdbcUrl, String jdbcUser, String jdbcPassword, String bucket,
      String s3Endpoint, String accessKey, String secretKey) {
    return new CatalogConfig("tickflow", JDBC, jdbcUrl, "s3://" + bucket + "/", s3Endpoint, accessKey, secretKey,
        null, jdbcUser, jdbcPassword);
  }

  /**
   * The same tables through an Iceberg REST catalog server at {@code restUri}: what other engines use. The S3
   * settings are the client's own, for reading and writing data files.
   */
  public CatalogConfig viaRest(String restUri) {
    return new CatalogConfig(name, REST, restUri, warehouse, s3Endpoint, s3AccessKey, s3SecretKey, s3Region, null,
        null);
  }

  /** Whether this catalog keeps its tables in SQLite, a file of the local stack, rather than a database server. */
  public boolean isEmbeddedDatabase() {
    return JDBC.equals(catalogImpl) && uri.startsWith("jdbc:sqlite:");
  }

  /** The same catalog reached through another S3 endpoint. */
  public CatalogConfig withS3Endpoint(String endpoint) {
    return new CatalogConfig(name, catalogImpl, uri, warehouse, endpoint, s3AccessKey, s3SecretKey, s3Region, jdbcUser,
        jdbcPassword);
  }

  /** Iceberg catalog properties. */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(CatalogProperties.URI, uri);
    p.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    p.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    p.put(AwsClientProperties.CLIENT_REGION, s3Region);
    if (s3Endpoint != null) {
      p.put(S3FileIOProperties.ENDPOINT, s3Endpoint);
      p.put(S3FileIOProperties.PATH_STYLE_ACCESS, "true");
    }
    if (s3AccessKey != null) {
      p.put(S3FileIOProperties.ACCESS_KEY_ID, s3AccessKey);
      p.put(S3FileIOProperties.SECRET_ACCESS_KEY, s3SecretKey);
    }
    if (JDBC.equals(catalogImpl)) {
      p.put("jdbc.schema-version", "V1");
      if (jdbcUser != null) {
        p.put("jdbc.user", jdbcUser);
      }
      if (jdbcPassword != null) {
        p.put("jdbc.password", jdbcPassword);
      }
    }
    return p;
  }

  /** Opens the catalog. Callers close it if it is {@link AutoCloseable}. */
  public Catalog load() {
    return CatalogUtil.loadCatalog(loadedImpl(), name, properties(), new Configuration());
  }

  /** The serializable loader Iceberg's Flink sink and source take. */
  public CatalogLoader flinkLoader() {
    return CatalogLoader.custom(name, properties(), new Configuration(), loadedImpl());
  }

  /** The loader for Iceberg's Flink sink: {@link #flinkLoader()}, keeping each table it loads. */
  public CatalogLoader flinkSinkLoader() {
    return new CommitterCatalogLoader(flinkLoader());
  }

  /** The class tickflow opens the catalog with: Iceberg's JDBC catalog made safe for reloaded job code. */
  private String loadedImpl() {
    return JDBC.equals(catalogImpl) ? dev.tickflow.catalog.jdbc.ClusterSafeJdbcCatalog.class.getName() : catalogImpl;
  }

  /** Options of a Flink SQL {@code CREATE CATALOG ... WITH (...)} for this catalog. */
  public Map<String, String> flinkCatalogOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("type", "iceberg");
    options.put("catalog-impl", catalogImpl);
    options.putAll(properties());
    return options;
  }

  public void save(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("catalog-impl", catalogImpl);
    p.setProperty("uri", uri);
    p.setProperty("warehouse", warehouse);
    setIfPresent(p, "s3.endpoint", s3Endpoint);
    setIfPresent(p, "s3.access-key-id", s3AccessKey);
    setIfPresent(p, "s3.secret-access-key", s3SecretKey);
    setIfPresent(p, "s3.region", s3Region);
    setIfPresent(p, "jdbc.user", jdbcUser);
    setIfPresent(p, "jdbc.password", jdbcPassword);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "tickflow Iceberg catalog (written by tickflow up)");
    }
  }

  public static CatalogConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return new CatalogConfig(p.getProperty("name", "tickflow"), p.getProperty("catalog-impl", JDBC),
        require(p, "uri", file), require(p, "warehouse", file), p.getProperty("s3.endpoint"),
        p.getProperty("s3.access-key-id"), p.getProperty("s3.secret-access-key"), p.getProperty("s3.region"),
        p.getProperty("jdbc.user"), System.getenv().getOrDefault("TICKFLOW_CATALOG_JDBC_PASSWORD",
            p.getProperty("jdbc.password")));
  }

  private static String require(Properties p, String key, Path file) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(file + " has no '" + key + "'");
    }
    return v;
  }

  private static void setIfPresent(Properties p, String key, String value) {
    if (value != null) {
      p.setProperty(key, value);
    }
  }

  /** Without the secrets: this ends up in logs and error messages. */
  @Override
  public String toString() {
    return "CatalogConfig[name=" + name + ", catalogImpl=" + catalogImpl + ", uri=" + uri + ", warehouse=" + warehouse
        + ", s3Endpoint=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", s3SecretKey="
        + (s3SecretKey == null ? "null" : "***") + ", s3Region=" + s3Region + ", jdbcUser=" + jdbcUser
        + ", jdbcPassword=" + (jdbcPassword == null ? "null" : "***") + "]";
  }
}
