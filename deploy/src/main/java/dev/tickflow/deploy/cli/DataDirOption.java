package dev.tickflow.deploy.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, shared by every command that works on a local stack's data. */
public final class DataDirOption {

  @Option(names = "--data-dir", paramLabel = "DIR",
      defaultValue = "${env:TICKFLOW_DATA_DIR:-${sys:user.home}/.tickflow}",
      description = "Where the local stack keeps everything (env TICKFLOW_DATA_DIR; default: ${DEFAULT-VALUE}).")
  Path dataDir;

  public Path path() {
    return dataDir.toAbsolutePath();
  }
}
