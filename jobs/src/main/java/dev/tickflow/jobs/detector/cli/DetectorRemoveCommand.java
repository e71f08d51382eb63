package dev.tickflow.jobs.detector.cli;

import dev.tickflow.schemas.event.DetectorAction;
import dev.tickflow.schemas.event.DetectorConfigChange;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow detector remove ID}: stop an instance on the running job. */
@Command(name = "remove", mixinStandardHelpOptions = true,
    description = "Stop a detector instance on the running job (its state is dropped).",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:published", "1:Kafka did not take it", "2:wrong arguments"})
public final class DetectorRemoveCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin DetectorTopicOptions kafka;

  @Parameters(paramLabel = "ID", description = "The detector's id.")
  String id;

  @Override
  public Integer call() throws Exception {
    if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ParameterException(spec.commandLine(), "'" + id + "' is not a detector id");
    }
    Instant now = Instant.now();
    kafka.publish(DetectorConfigChange.newBuilder().setDetectorId(id).setVersion(0)
        .setAction(DetectorAction.REMOVE).setDeployedBy(System.getProperty("user.name", ""))
        .setEventTime(now).setIngestTime(now).build());
    spec.commandLine().getOut().println("removed " + id + " (published to " + kafka.topic + ")");
    return 0;
  }
}
