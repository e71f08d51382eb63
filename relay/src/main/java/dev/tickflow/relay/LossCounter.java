package dev.tickflow.relay;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the messages a subscriber lost, from gaps in the publishers' {@link SequenceStamp}s, per topic. The first
 * message of a stream starts it (what came before the subscription is not a loss); a new stream id on a topic (a
 * restarted publisher) starts again. A loss at the very end is seen only when a later message arrives.
 * Written by the receiving thread; {@link #total} and {@link #byTopic} may be read from any thread.
 */
public final class LossCounter {

  /** Streams remembered per subscriber; publishers that restart often must not grow this without bound. */
  private static final int MAX_STREAMS = 100_000;

  private record StreamKey(String topic, long stream) {}

  private final Map<StreamKey, Long> lastSeen = new HashMap<>();
  private final Map<String, AtomicLong> lostByTopic = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  /** Records one received message; returns how many were lost just before it on its topic (usually 0). */
  public long record(String topic, SequenceStamp stamp) {
    if (stamp == null) {
      return 0;
    }
    if (lastSeen.size() >= MAX_STREAMS) {
      lastSeen.clear(); // forgetting costs at most one unseen gap per stream, never a false one
    }
    Long last = lastSeen.put(new StreamKey(topic, stamp.stream()), stamp.sequence());
    if (last == null || stamp.sequence() <= last + 1) {
      return 0;
    }
    long lost = stamp.sequence() - last - 1;
    lostByTopic.computeIfAbsent(topic, t -> new AtomicLong()).addAndGet(lost);
    total.addAndGet(lost);
    return lost;
  }

  /** Messages lost so far, all topics. */
  public long total() {
    return total.get();
  }

  /** Messages lost so far on {@code topic}. */
  public long lost(String topic) {
    AtomicLong n = lostByTopic.get(topic);
    return n == null ? 0 : n.get();
  }

  /** Snapshot of losses per topic, for topics that lost any. */
  public Map<String, Long> byTopic() {
    Map<String, Long> snapshot = new HashMap<>();
    lostByTopic.forEach((t, n) -> snapshot.put(t, n.get()));
    return snapshot;
  }
}
