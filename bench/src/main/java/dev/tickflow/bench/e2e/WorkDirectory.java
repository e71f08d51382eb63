package dev.tickflow.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A harness's temporary directory (broker logs, S3 objects, catalog), deleted when the run ends: a
 * candle-throughput run leaves 0.25-0.5 GB of broker logs, and repeated runs filled /tmp.
 */
final class WorkDirectory implements AutoCloseable {

  private final Path path;

  private WorkDirectory(Path path) {
    this.path = path;
  }

  static WorkDirectory create(String prefix) throws IOException {
    return new WorkDirectory(Files.createTempDirectory(prefix));
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  @Override
  public void close() {
    if (Boolean.getBoolean("tickflow.bench.keep")) {
      System.err.println("kept " + path + " (-Dtickflow.bench.keep=true)");
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
