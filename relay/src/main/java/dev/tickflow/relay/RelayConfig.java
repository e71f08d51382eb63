package dev.tickflow.relay;

/**
 * Where the relay listens. Publishers (Flink jobs, ingestors) connect their PUB sockets to {@code ingress};
 * subscribers connect SUB sockets to {@code fanout}. {@code highWaterMark} bounds the messages queued per
 * peer; beyond it ZeroMQ drops, so a slow subscriber never slows the market-data path.
 */
public record RelayConfig(String ingressEndpoint, String fanoutEndpoint, int highWaterMark) {

  public static final int DEFAULT_INGRESS_PORT = 5557;
  public static final int DEFAULT_FANOUT_PORT = 5558;

  public RelayConfig {
    if (highWaterMark <= 0) {
      throw new IllegalArgumentException("highWaterMark must be positive");
    }
  }

  /** Loopback endpoints on the given ports; port 0 picks free ports. */
  public static RelayConfig loopback(int ingressPort, int fanoutPort) {
    return new RelayConfig(endpoint(ingressPort), endpoint(fanoutPort), 100_000);
  }

  public static RelayConfig defaults() {
    return loopback(DEFAULT_INGRESS_PORT, DEFAULT_FANOUT_PORT);
  }

  private static String endpoint(int port) {
    return "tcp://127.0.0.1:" + (port == 0 ? "*" : Integer.toString(port));
  }
}
