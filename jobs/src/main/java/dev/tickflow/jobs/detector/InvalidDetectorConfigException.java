package dev.tickflow.jobs.detector;

import java.util.List;

/** A detector config that cannot run, with every reason found (not only the first). */
public final class InvalidDetectorConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public InvalidDetectorConfigException(String what, List<String> problems) {
    super(what + " is invalid: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
