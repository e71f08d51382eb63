package dev.tickflow.deploy.bench;

import dev.tickflow.deploy.cluster.TickflowHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tickflow bench}: the benchmarks of {@code bench/}, run as their scripts run them (the bench module
 * depends on this one, so they run in a JVM of their own with its classpath). Never part of the test suite.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run tickflow's benchmarks beside their peers (bench/README.md). Timings, not tests: they print "
        + "a table, and the end-to-end harnesses write JSON to bench/results/.",
    subcommands = {BenchCommand.Jmh.class, BenchCommand.EndToEnd.class})
public final class BenchCommand implements Runnable {

  /** The end-to-end harnesses {@code bench/e2e} knows. */
  public static final List<String> HARNESSES = List.of("candle-throughput", "relay-latency", "lake-write");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name what to run: tickflow bench jmh [CLASS] [JMH OPTIONS] or tickflow bench e2e HARNESS [OPTIONS]");
  }

  @Command(name = "jmh", mixinStandardHelpOptions = false,
      description = "JMH micro-benchmarks: bench/run [CLASS-REGEX] [JMH OPTIONS], e.g. tickflow bench jmh "
          + "TradePath -f 1 -wi 2 -i 3 (tickflow bench jmh -l lists them, -h prints JMH's own help).")
  static final class Jmh implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to JMH unchanged.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return BenchCommand.runScript("bench/run", args);
    }
  }

  @Command(name = "e2e", mixinStandardHelpOptions = true,
      description = "An end-to-end harness on an embedded broker: candle-throughput (tickflow, Flink SQL, Kafka "
          + "Streams, an empty Flink job, a plain consumer), relay-latency (trade produced to candle update at a "
          + "ZeroMQ subscriber) or "
          + "lake-write (rows/s into Iceberg, files per commit, a query before/after compaction). "
          + "tickflow bench e2e HARNESS --help lists its options.")
  static final class EndToEnd implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HARNESS", description = "candle-throughput, relay-latency or lake-write.")
    String harness;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "OPTIONS", description = "The harness's own options.")
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (!HARNESSES.contains(harness)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "unknown harness '" + harness + "'; there are " + String.join(", ", HARNESSES));
      }
      List<String> args = new ArrayList<>(List.of(harness));
      args.addAll(options);
      return BenchCommand.runScript("bench/e2e", args);
    }
  }

  private static int runScript(String script, List<String> args) throws Exception {
    Path root = TickflowHome.root();
    Path file = root.resolve(script);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("no " + script + " in " + root + ": benchmarks run from a tickflow checkout");
    }
    List<String> command = new ArrayList<>(List.of("bash", file.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
    return p.waitFor();
  }
}
