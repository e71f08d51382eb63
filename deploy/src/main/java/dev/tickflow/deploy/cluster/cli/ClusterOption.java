package dev.tickflow.deploy.cluster.cli;

import dev.tickflow.deploy.cluster.FlinkRestClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --cluster URL}: the Flink session cluster's REST address, shared by submit and jobs. */
public final class ClusterOption {

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--cluster", paramLabel = "URL", defaultValue = "${env:TICKFLOW_FLINK_REST:-http://127.0.0.1:8081}",
      description = "REST address of the Flink session cluster, as its web UI (env TICKFLOW_FLINK_REST; "
          + "default: ${DEFAULT-VALUE}).")
  String url;

  FlinkRestClient client() {
    try {
      return new FlinkRestClient(url);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
    }
  }
}
