package dev.tickflow.relay;

import dev.tickflow.relay.security.RelayCurve;

/**
 * Where the relay listens. Publishers (Flink jobs, ingestors) connect their PUB sockets to {@code ingress};
 * subscribers connect SUB sockets to {@code fanout}; clients send requests (history, ping) to {@code requests}
 * (ROUTER); ingestors take work from {@code workQueue} (PUB, topic = exchange prefix). {@code highWaterMark}
 * bounds the messages queued per peer; beyond it ZeroMQ drops, so a slow subscriber never slows the market-data
 * path. {@code metricsPort}: HTTP {@code /metrics} and {@code /health}; 0 for a free port, -1 for none.
 * {@code curve}: CURVE authentication and encryption on every channel; null for none.
 */
public record RelayConfig(String ingressEndpoint, String fanoutEndpoint, String requestEndpoint,
    String workQueueEndpoint, int highWaterMark, int metricsPort, RelayCurve curve) {

  public static final int DEFAULT_WORK_QUEUE_PORT = 5555;
  public static final int DEFAULT_INGRESS_PORT = 5557;
  public static final int DEFAULT_FANOUT_PORT = 5558;
  public static final int DEFAULT_REQUEST_PORT = 5559;
  public static final int DEFAULT_HIGH_WATER_MARK = 100_000;

  public RelayConfig {
    if (highWaterMark <= 0) {
      throw new IllegalArgumentException("highWaterMark must be positive, not " + highWaterMark);
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException("metricsPort must be -1 (none) or 0..65535, not " + metricsPort);
    }
  }

  /** Loopback endpoints on the given ports (0 picks a free one); no metrics endpoint. */
  public static RelayConfig loopback(int ingressPort, int fanoutPort, int requestPort, int workQueuePort) {
    return new RelayConfig(endpoint(ingressPort), endpoint(fanoutPort), endpoint(requestPort),
        endpoint(workQueuePort), DEFAULT_HIGH_WATER_MARK, -1, null);
  }

  /** Loopback market-data endpoints on the given ports, the request and work-queue channels on free ones. */
  public static RelayConfig loopback(int ingressPort, int fanoutPort) {
    return loopback(ingressPort, fanoutPort, 0, 0);
  }

  public static RelayConfig defaults() {
    return loopback(DEFAULT_INGRESS_PORT, DEFAULT_FANOUT_PORT, DEFAULT_REQUEST_PORT, DEFAULT_WORK_QUEUE_PORT);
  }

  public RelayConfig withMetricsPort(int port) {
    return new RelayConfig(ingressEndpoint, fanoutEndpoint, requestEndpoint, workQueueEndpoint, highWaterMark, port,
        curve);
  }

  public RelayConfig withHighWaterMark(int hwm) {
    return new RelayConfig(ingressEndpoint, fanoutEndpoint, requestEndpoint, workQueueEndpoint, hwm, metricsPort,
        curve);
  }

  /** The same relay with CURVE on every channel. */
  public RelayConfig withCurve(RelayCurve newCurve) {
    return new RelayConfig(ingressEndpoint, fanoutEndpoint, requestEndpoint, workQueueEndpoint, highWaterMark,
        metricsPort, newCurve);
  }

  /** The same endpoints, now bound (real ports instead of 0), e.g. to restart a relay where it was. */
  public RelayConfig at(String ingress, String fanout, String requests, String workQueue) {
    return new RelayConfig(ingress, fanout, requests, workQueue, highWaterMark, metricsPort, curve);
  }

  private static String endpoint(int port) {
    return "tcp://127.0.0.1:" + (port == 0 ? "*" : Integer.toString(port));
  }
}
