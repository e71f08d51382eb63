package dev.tickflow.jobs.risk.cli;

import dev.tickflow.jobs.io.TopicPublisher;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.RiskControl;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow risk stand-down|resume|close-all --account A}: the kill switch. Each command goes to the
 * {@code trade.control} topic; the risk governor applies it in event-time order with the market data, so it
 * affects exactly the intents after its effective time ({@code --at}, default now).
 */
@Command(name = "risk", mixinStandardHelpOptions = true,
    description = {"The risk governor's kill switch for one account, through the trade.control topic.",
        "stand-down: no new entries (exits and protective orders still run); resume: trading again; "
            + "close-all: flatten every position at the next trades, then stand down until resumed.",
        "A command takes effect at --at (default now) in the job's event time: intents after it see it."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:published", "1:Kafka did not take it", "2:wrong arguments"})
public final class RiskCommand implements Runnable {

  @Spec CommandSpec spec;

  /** What every risk command needs. */
  static final class Target {
    @Option(names = "--account", required = true, description = "The account, e.g. paper.")
    String account;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the audit trail.")
    String reason;

    @Option(names = "--operator", defaultValue = "${sys:user.name}", description = "Who (default: ${DEFAULT-VALUE}).")
    String operator;

    @Option(names = "--at", paramLabel = "INSTANT",
        description = "Effective event time, e.g. 2019-10-11T03:00:00Z (default: now). Replays of old data need it.")
    String at;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
        description = "Kafka bootstrap servers (env TICKFLOW_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
        description = "How long to wait for Kafka to acknowledge (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: stand-down, resume, close-all");
  }

  @Command(name = "stand-down", mixinStandardHelpOptions = true,
      description = "Stop new entries on the account; exits and protective orders still run.")
  int standDown(@Mixin Target target) throws InterruptedException {
    return send(target, dev.tickflow.schemas.event.RiskCommand.STAND_DOWN);
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Lift a stand-down (an operator's or one the account earned); the losing streak starts over.")
  int resume(@Mixin Target target) throws InterruptedException {
    return send(target, dev.tickflow.schemas.event.RiskCommand.RESUME);
  }

  @Command(name = "close-all", mixinStandardHelpOptions = true,
      description = "Flatten every position of the account at the next trades, cancel waiting entries, stand down.")
  int closeAll(@Mixin Target target) throws InterruptedException {
    return send(target, dev.tickflow.schemas.event.RiskCommand.CLOSE_ALL);
  }

  private int send(Target t, dev.tickflow.schemas.event.RiskCommand command) throws InterruptedException {
    CommandLine cli = spec.commandLine();
    if (t.account.isBlank()) {
      throw new ParameterException(cli, "--account cannot be empty");
    }
    Instant effective;
    try {
      effective = t.at == null ? Instant.now() : Instant.parse(t.at);
    } catch (DateTimeParseException e) {
      throw new ParameterException(cli, "--at '" + t.at + "' is not an instant like 2019-10-11T03:00:00Z");
    }
    RiskControl control = RiskControl.newBuilder().setCommandId("cmd-" + UUID.randomUUID()).setAccount(t.account)
        .setCommand(command).setReason(t.reason).setOperator(t.operator).setEventTime(effective)
        .setIngestTime(Instant.now()).build();
    TopicPublisher.publish(t.bootstrapServers, Topic.TRADE_CONTROL.topicName(), RiskControl::getAccount, RiskControl.class,
        List.of(control), t.timeoutSeconds);
    cli.getOut().println(command + " for account " + t.account + " effective " + effective + " sent to "
        + Topic.TRADE_CONTROL.topicName() + " as " + control.getCommandId()
        + " (its verdict appears in trade.verdicts)");
    return 0;
  }
}
