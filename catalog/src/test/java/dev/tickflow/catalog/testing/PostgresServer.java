package dev.tickflow.catalog.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for tests, from the machine's own binaries (Debian's {@code postgresql} package,
 * which {@code .ci/run} installs): {@code initdb} into a fresh directory, {@code pg_ctl start} on a free port,
 * one database. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user.
 *
 * <p>Without the binaries a test using it is skipped, saying why; under {@code CI=true} it fails instead, so CI
 * never passes by skipping.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "tickflow";
  public static final String PASSWORD = "tickflow-test";
  public static final String DATABASE = "iceberg";

  private final Path bin;
  private final Path base;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path base, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Starts a server, or skips the calling test (fails it under CI) if PostgreSQL is not installed. */
  public static PostgresServer start() throws Exception {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      String why = "PostgreSQL server binaries (initdb, pg_ctl) not found: install Debian's postgresql package";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(why + " (.ci/run does)");
      }
      Assumptions.abort(why);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = Files.createTempDirectory("tickflow-pg");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    PostgresServer pg = new PostgresServer(bin.get(), base, freePort(), root);
    pg.init();
    return pg;
  }

  private void init() throws Exception {
    Files.createDirectories(data);
    Path passwordFile = base.resolve("pw");
    Files.writeString(passwordFile, PASSWORD + "\n");
    if (asPostgresUser) {
      run(List.of("chown", "-R", "postgres:postgres", base.toString()), false);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile,
        "--auth=scram-sha-256", "-E", "UTF8", "--no-locale"), true);
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start"), true);
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
    }
  }

  public String jdbcUrl() {
    return url(DATABASE);
  }

  public int port() {
    return port;
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public void close() throws Exception {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), true);
    try (Stream<Path> files = Files.walk(base)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private void run(List<String> command, boolean asServerUser) throws Exception {
    List<String> full = new ArrayList<>();
    if (asServerUser && asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(Duration.ofSeconds(90).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " failed: " + output);
    }
  }

  /** The newest {@code /usr/lib/postgresql/N/bin}, or the directory of {@code initdb} on the PATH. */
  private static Optional<Path> binaries() throws IOException {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
            .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())));
        if (newest.isPresent()) {
          return newest;
        }
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path bin = Path.of(dir);
      if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
        return Optional.of(bin);
      }
    }
    return Optional.empty();
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
