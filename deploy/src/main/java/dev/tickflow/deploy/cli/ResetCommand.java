package dev.tickflow.deploy.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow reset}: delete the local stack's data directory. */
@Command(name = "reset", mixinStandardHelpOptions = true,
    description = "Delete everything the local stack stored (Kafka topics, Flink state, Iceberg tables). Needs --yes.")
public final class ResetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  @Option(names = "--yes", description = "Really delete.")
  boolean yes;

  @Override
  public Integer call() throws IOException {
    Path dir = dataDir.path();
    if (!yes) {
      throw new ParameterException(spec.commandLine(), "this deletes " + dir + "; add --yes to confirm");
    }
    if (!Files.exists(dir)) {
      spec.commandLine().getOut().println("nothing to reset: " + dir + " does not exist");
      return 0;
    }
    if (!Files.exists(dir.resolve(".lock")) && !Files.exists(dir.resolve("catalog.properties"))) {
      throw new ParameterException(spec.commandLine(), dir + " does not look like a tickflow data directory");
    }
    try (FileChannel channel = new RandomAccessFile(dir.resolve(".lock").toFile(), "rw").getChannel();
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        spec.commandLine().getErr().println("tickflow reset: tickflow up is running on " + dir + "; stop it first");
        return 1;
      }
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    spec.commandLine().getOut().println("deleted " + dir);
    return 0;
  }
}
