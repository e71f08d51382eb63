package dev.tickflow.jobs.detector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickflow detector}: check detector configs and deploy or remove them on a running job. */
@Command(name = "detector", mixinStandardHelpOptions = true,
    description = {"Detector instances: check a config file, deploy it to the running job, remove one.",
        "The config format is docs/detector.schema.json; examples in docs/detectors/."},
    subcommands = {DetectorValidateCommand.class, DetectorDeployCommand.class, DetectorRemoveCommand.class})
public final class DetectorCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: validate, deploy, remove");
  }
}
