package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.deploy.local.EmbeddedS3;
import dev.tickflow.deploy.local.S3Health;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which Iceberg catalog a command works on: {@code --catalog FILE}, or the local stack's in {@code --data-dir}.
 * Shared by {@code tickflow sql} and {@code tickflow catalog ...}.
 */
public final class LakeOptions {

  @Mixin DataDirOption dataDir;

  @Option(names = "--catalog", paramLabel = "FILE",
      description = "Catalog properties file. Default: <data-dir>/catalog.properties, written by tickflow up.")
  Path catalogFile;

  /** The catalog and, if it had to be started, the warehouse's S3 API; close it when done. */
  public record Lake(CatalogConfig catalog, EmbeddedS3 servedWarehouse) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (servedWarehouse != null) {
        servedWarehouse.close();
      }
    }
  }

  /**
   * Loads the catalog. The history stays in the data directory when 'tickflow up' is stopped, but its S3 API
   * does not: then this serves the warehouse from the data directory, on a free port, for as long as the
   * returned {@link Lake} is open.
   */
  public Lake open(CommandLine cmd, String who) throws Exception {
    Path file = catalogFile != null ? catalogFile : dataDir.path().resolve(CatalogConfig.FILE_NAME);
    if (!Files.isReadable(file)) {
      throw new ParameterException(cmd, "no catalog at " + file
          + ": start the platform with ./tickflow up first, or pass --data-dir / --catalog");
    }
    CatalogConfig catalog = CatalogConfig.load(file);
    Path objects = dataDir.path().resolve("s3");
    if (catalogFile != null || catalog.s3Endpoint() == null || !Files.isDirectory(objects)
        || answers(URI.create(catalog.s3Endpoint()))) {
      // keys from the environment's AWS chain are Iceberg's business; tickflow checks the ones it was given
      if (catalog.s3Endpoint() != null && catalog.s3AccessKey() != null && bucket(catalog) != null) {
        S3Health.check(catalog.s3Endpoint(), catalog.s3AccessKey(), catalog.s3SecretKey(), bucket(catalog));
      }
      return new Lake(catalog, null);
    }
    PrintWriter err = cmd.getErr();
    err.println(who + ": the local stack is not running; reading the warehouse in " + objects + " directly");
    err.flush();
    EmbeddedS3 s3 = EmbeddedS3.start(objects, 0, catalog.s3AccessKey(), catalog.s3SecretKey());
    return new Lake(catalog.withS3Endpoint(s3.endpoint()), s3);
  }

  /** {@code tickflow-warehouse} of {@code s3://tickflow-warehouse/} or {@code s3a://tickflow-warehouse/path}. */
  static String bucket(CatalogConfig catalog) {
    URI warehouse = URI.create(catalog.warehouse());
    return warehouse.getScheme() != null && warehouse.getScheme().startsWith("s3") ? warehouse.getHost() : null;
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
