package dev.tickflow.relay.cli;

import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tickflow relay}: run the relay on its own, until Ctrl-C. */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = "Run the ZeroMQ market-data relay on its own (tickflow up already runs one).")
public final class RelayCommand implements Callable<Integer> {

  @Option(names = "--ingress", defaultValue = "${env:TICKFLOW_RELAY_INGRESS:-tcp://127.0.0.1:5557}",
      description = "Where publishers connect (default: ${DEFAULT-VALUE}).")
  String ingress;

  @Option(names = "--fanout", defaultValue = "${env:TICKFLOW_RELAY_FANOUT:-tcp://127.0.0.1:5558}",
      description = "Where subscribers connect (default: ${DEFAULT-VALUE}).")
  String fanout;

  @Option(names = "--hwm", defaultValue = "100000", description = "Messages queued per peer before dropping (default: ${DEFAULT-VALUE}).")
  int highWaterMark;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Relay relay = Relay.start(new RelayConfig(ingress, fanout, highWaterMark));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      relay.close();
      done.countDown();
    }, "relay-shutdown"));
    System.err.println("relay: publishers -> " + relay.ingressEndpoint() + ", subscribers -> "
        + relay.fanoutEndpoint() + " (Ctrl-C stops)");
    done.await();
    return 0;
  }
}
