package dev.tickflow.jobs.detector.cli;

import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.detector.InvalidDetectorConfigException;
import dev.tickflow.schemas.event.DetectorAction;
import dev.tickflow.schemas.event.DetectorConfigChange;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tickflow detector deploy FILE}: validate, then publish to {@code signals.detectors}. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = {"Validate a detector config and publish it to the running job (topic signals.detectors).",
        "A new id starts a new instance; a higher version replaces the running one (its state starts afresh). "
            + "The job refuses an invalid or older config and keeps the running version (see the deadletter topic)."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:published", "1:the config is invalid, or Kafka did not take it", "2:wrong arguments"})
public final class DetectorDeployCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DetectorTopicOptions kafka;

  @Parameters(paramLabel = "FILE", description = "The detector config (YAML or JSON).")
  Path file;

  @Override
  public Integer call() throws Exception {
    DetectorConfig config;
    String text = DetectorValidateCommand.read(spec, file);
    try {
      config = DetectorConfigs.parse(text);
    } catch (InvalidDetectorConfigException e) {
      spec.commandLine().getErr().println(file + ": invalid, not deployed:");
      e.problems().forEach(p -> spec.commandLine().getErr().println("  - " + p));
      return 1;
    }
    Instant now = Instant.now();
    kafka.publish(DetectorConfigChange.newBuilder().setDetectorId(config.id()).setVersion(config.version())
        .setAction(DetectorAction.DEPLOY).setConfig(config.source()).setDeployedBy(System.getProperty("user.name", ""))
        .setEventTime(now).setIngestTime(now).build());
    spec.commandLine().getOut().println("deployed " + DetectorValidateCommand.describe(config) + " to "
        + kafka.topic + " at " + kafka.bootstrapServers);
    return 0;
  }
}
