package dev.tickflow.relay;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the relay counts, per channel, in Prometheus form. Written by the relay's one thread; read by the HTTP
 * endpoint and tests. Counting is all the relay remembers: it holds no messages and no requests.
 */
public final class RelayMetrics {

  /** The relay's channels, as they appear in the {@code channel} label. */
  public enum Channel {
    INGRESS, FANOUT, REQUESTS, WORK_QUEUE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter messagesIn;
  private final Counter messagesOut;
  private final Counter requests;
  private final Counter dropped;
  private final AtomicLong subscribers = new AtomicLong();
  private final AtomicLong topicSubscriptions = new AtomicLong();
  private final AtomicLong workers = new AtomicLong();

  public RelayMetrics() {
    messagesIn = Counter.builder().name("tickflow_relay_messages_in_total")
        .help("Messages received, per channel").labelNames("channel").register(registry);
    messagesOut = Counter.builder().name("tickflow_relay_messages_out_total")
        .help("Messages sent, per channel (fan-out: once per message, whatever the number of subscribers)")
        .labelNames("channel").register(registry);
    dropped = Counter.builder().name("tickflow_relay_dropped_total")
        .help("Messages the relay could not send, per channel (work queue full, client gone). Fan-out drops for a "
            + "slow subscriber are not visible to the relay: each subscriber counts them from sequence gaps")
        .labelNames("channel").register(registry);
    requests = Counter.builder().name("tickflow_relay_requests_total")
        .help("Client requests by reply: pong, ack, error").labelNames("reply").register(registry);
    GaugeWithCallback.builder().name("tickflow_relay_subscribers")
        .help("Connections on the fan-out socket").callback(cb -> cb.call(subscribers.get())).register(registry);
    GaugeWithCallback.builder().name("tickflow_relay_topic_subscriptions")
        .help("Distinct topic prefixes subscribed on the fan-out socket")
        .callback(cb -> cb.call(topicSubscriptions.get())).register(registry);
    GaugeWithCallback.builder().name("tickflow_relay_work_queue_prefixes")
        .help("Distinct venue prefixes ingestors subscribed on the work queue")
        .callback(cb -> cb.call(workers.get())).register(registry);
    for (Channel c : Channel.values()) {
      messagesIn.labelValues(c.label());
      messagesOut.labelValues(c.label());
      dropped.labelValues(c.label());
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  void received(Channel channel, long n) {
    messagesIn.labelValues(channel.label()).inc(n);
  }

  void sent(Channel channel, long n) {
    messagesOut.labelValues(channel.label()).inc(n);
  }

  void dropped(Channel channel, long n) {
    dropped.labelValues(channel.label()).inc(n);
  }

  void replied(String status) {
    requests.labelValues(status.toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void subscriberConnected(int delta) {
    subscribers.addAndGet(delta);
  }

  void topicSubscriptions(long n) {
    topicSubscriptions.set(n);
  }

  void workQueuePrefixes(long n) {
    workers.set(n);
  }

  public long in(Channel channel) {
    return (long) messagesIn.labelValues(channel.label()).get();
  }

  public long out(Channel channel) {
    return (long) messagesOut.labelValues(channel.label()).get();
  }

  public long dropped(Channel channel) {
    return (long) dropped.labelValues(channel.label()).get();
  }

  /** Requests answered with {@code status} (PONG, ACK, ERROR). */
  public long requests(String status) {
    return (long) requests.labelValues(status.toLowerCase(java.util.Locale.ROOT)).get();
  }

  public long subscribers() {
    return subscribers.get();
  }

  public long topicSubscriptions() {
    return topicSubscriptions.get();
  }

  public long workQueuePrefixes() {
    return workers.get();
  }
}
