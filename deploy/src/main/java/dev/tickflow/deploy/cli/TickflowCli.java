package dev.tickflow.deploy.cli;

import dev.tickflow.ingestors.live.IngestCommand;
import dev.tickflow.ingestors.replay.ReplayCommand;
import dev.tickflow.ingestors.synthetic.SyntheticCommand;
import dev.tickflow.relay.cli.RelayCommand;
import dev.tickflow.relay.cli.TailCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tickflow} command. */
@Command(name = "tickflow", mixinStandardHelpOptions = true, version = "tickflow 0.1.0",
    description = "Streaming market data and trading signals on Kafka, Flink, Iceberg and ZeroMQ.",
    subcommands = {UpCommand.class, SqlCommand.class, CatalogCommand.class, TailCommand.class, HistoryCommand.class, IngestCommand.class, ReplayCommand.class,
        dev.tickflow.jobs.audit.cli.ReplayCommand.class, dev.tickflow.jobs.audit.cli.BacktestCommand.class,
        OhlcCommand.class, dev.tickflow.jobs.detector.cli.DetectorCommand.class,
        dev.tickflow.jobs.risk.cli.RiskCommand.class, dev.tickflow.jobs.advisor.cli.CalibrateCommand.class,
        SyntheticCommand.class,
        dev.tickflow.deploy.cluster.cli.SubmitCommand.class, dev.tickflow.deploy.cluster.cli.JobsCommand.class,
        dev.tickflow.deploy.kafka.TopicsCommand.class,
        RelayCommand.class, dev.tickflow.deploy.bench.BenchCommand.class,
        ResetCommand.class, CommandLine.HelpCommand.class})
public final class TickflowCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. tickflow up (tickflow --help lists them)");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with tickflow's error handling: one clear line on stderr, exit 1. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TickflowCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(cmd.getColorScheme().errorText("tickflow " + cmd.getCommandName() + ": " + message(e)));
      if (System.getenv("TICKFLOW_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(set TICKFLOW_DEBUG=1 for the stack trace)");
      }
      return 1;
    });
    return cli;
  }

  /**
   * The most telling message of an exception chain: the outermost one that says something itself, skipping
   * wrappers whose message is only another exception's toString (Flink's and Calcite's outer messages carry the
   * position in the statement; their causes do not).
   */
  static String message(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && !m.matches("^[\\w.$]+(Exception|Error)(: .*)?$")) {
        return m;
      }
    }
    return e.toString();
  }
}
