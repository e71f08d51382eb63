package dev.tickflow.jobs.detector.cli;

import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.detector.InvalidDetectorConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow detector validate FILE...}: every problem of every file, without touching Kafka. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check detector config files (YAML or JSON) and print what each one runs, or every problem found.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every file is valid", "1:a file is invalid (its problems are printed)", "2:wrong arguments"})
public final class DetectorValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Detector config files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int invalid = 0;
    for (Path file : files) {
      try {
        DetectorConfig c = DetectorConfigs.parse(read(spec, file));
        out.println(file + ": valid, " + describe(c));
      } catch (InvalidDetectorConfigException e) {
        invalid++;
        err.println(file + ": invalid, " + e.problems().size() + " problem(s):");
        e.problems().forEach(p -> err.println("  - " + p));
      }
    }
    return invalid == 0 ? 0 : 1;
  }

  static String describe(DetectorConfig c) {
    return c.name() + " on " + String.join(", ", c.tickers()) + " " + c.timeframe().label() + ": "
        + c.indicators().size() + " indicator(s), " + c.rules().size() + " rule(s), thresholds long "
        + (c.longThreshold() == null ? "off" : c.longThreshold().toPlainString()) + " / short "
        + (c.shortThreshold() == null ? "off" : c.shortThreshold().toPlainString()) + ", cooldown " + c.cooldown();
  }

  static String read(CommandSpec spec, Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), file + " does not exist");
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
    }
  }
}
