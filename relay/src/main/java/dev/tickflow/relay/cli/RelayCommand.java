package dev.tickflow.relay.cli;

import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickflow relay}: run the relay on its own, until Ctrl-C. */
@Command(name = "relay", mixinStandardHelpOptions = true, subcommands = RelayKeygenCommand.class,
    description = "Run the ZeroMQ market-data relay on its own (tickflow up already runs one). "
        + "With --curve-keys and --curve-allow, every channel needs CURVE and a listed client key.")
public final class RelayCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--ingress", defaultValue = "${env:TICKFLOW_RELAY_INGRESS:-tcp://127.0.0.1:5557}",
      description = "Where publishers connect (default: ${DEFAULT-VALUE}).")
  String ingress;

  @Option(names = "--fanout", defaultValue = "${env:TICKFLOW_RELAY_FANOUT:-tcp://127.0.0.1:5558}",
      description = "Where subscribers connect (default: ${DEFAULT-VALUE}).")
  String fanout;

  @Option(names = "--requests", defaultValue = "${env:TICKFLOW_RELAY_REQUESTS:-tcp://127.0.0.1:5559}",
      description = "Where clients send requests: PING or a history request (default: ${DEFAULT-VALUE}).")
  String requests;

  @Option(names = "--work-queue", defaultValue = "${env:TICKFLOW_RELAY_WORK_QUEUE:-tcp://127.0.0.1:5555}",
      description = "Where ingestors take history work, subscribed to their venue's prefix (default: ${DEFAULT-VALUE}).")
  String workQueue;

  @Option(names = "--metrics-port", defaultValue = "9410",
      description = "HTTP port of /metrics (Prometheus) and /health; 0 any free port, -1 off (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--curve-keys", paramLabel = "FILE", defaultValue = "${env:TICKFLOW_RELAY_CURVE_KEYS}",
      description = "The relay's CURVE key pair (tickflow relay keygen writes one; env TICKFLOW_RELAY_CURVE_KEYS). "
          + "Turns CURVE on for every channel.")
  java.nio.file.Path curveKeys;

  @Option(names = "--curve-allow", paramLabel = "FILE", defaultValue = "${env:TICKFLOW_RELAY_CURVE_ALLOW}",
      description = "Public keys (Z85, one per line) of the clients let in (env TICKFLOW_RELAY_CURVE_ALLOW).")
  java.nio.file.Path curveAllow;

  @Option(names = "--hwm", defaultValue = "100000", description = "Messages queued per peer before dropping (default: ${DEFAULT-VALUE}).")
  int highWaterMark;

  private dev.tickflow.relay.security.RelayCurve curve() throws java.io.IOException {
    if (curveKeys == null && curveAllow == null) {
      return null;
    }
    if (curveKeys == null || curveAllow == null) {
      throw new IllegalArgumentException("CURVE needs both --curve-keys and --curve-allow");
    }
    return dev.tickflow.relay.security.RelayCurve.load(curveKeys, curveAllow);
  }

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    RelayConfig config;
    try {
      config = new RelayConfig(ingress, fanout, requests, workQueue, highWaterMark, metricsPort, curve());
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Relay relay = Relay.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      relay.close();
      done.countDown();
    }, "relay-shutdown"));
    System.err.println("relay: publishers -> " + relay.ingressEndpoint() + ", subscribers -> "
        + relay.fanoutEndpoint() + ", requests -> " + relay.requestEndpoint() + ", work queue -> "
        + relay.workQueueEndpoint() + (relay.metricsPort() < 0 ? "" : ", metrics http://127.0.0.1:"
        + relay.metricsPort() + "/metrics") + " (Ctrl-C stops)");
    done.await();
    return 0;
  }
}
