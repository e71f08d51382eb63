package dev.tickflow.deploy.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow topics create}: every tickflow topic on a Kafka cluster, as the local stack creates them. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Kafka topics of tickflow.",
    subcommands = TopicsCommand.Create.class)
public final class TopicsCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: create");
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create the missing tickflow topics with their retention and cleanup settings, and bring "
          + "existing ones to today's settings (docs/architecture.md lists them). Safe to run again.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
        description = "(default: ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "6",
        description = "Partitions of new topics; records are keyed by ticker or account (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Override
    public Integer call() throws Exception {
      if (partitions < 1 || replicationFactor < 1) {
        throw new ParameterException(spec.commandLine(), "--partitions and --replication-factor must be at least 1");
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
        List<String> created = TopicSetup.ensure(admin, partitions, replicationFactor);
        spec.commandLine().getOut().println(created.isEmpty() ? "every tickflow topic exists; settings checked"
            : "created " + String.join(", ", created));
      }
      return 0;
    }
  }
}
