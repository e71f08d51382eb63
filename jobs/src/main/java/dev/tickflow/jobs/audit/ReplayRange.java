package dev.tickflow.jobs.audit;

import dev.tickflow.jobs.io.RunScope.OffsetRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka records an audit run re-reads: per partition of one topic, {@code [from, to)} offsets, given as offsets
 * or as times (resolved with Kafka's offsets-for-times: the first record at or after the instant), checked against
 * what the partitions hold. Every refusal says which partition and which bound is wrong.
 *
 * @param topic the topic replayed
 * @param partitions per partition, the offsets to replay
 * @param firstTimestamp Kafka timestamp of the first record replayed (to bound the companion inputs, e.g. quotes)
 * @param lastTimestamp Kafka timestamp of the last record replayed
 */
public record ReplayRange(String topic, Map<Integer, OffsetRange> partitions, Instant firstTimestamp,
    Instant lastTimestamp) {

  private static final int TIMEOUT_SECONDS = 30;

  public ReplayRange {
    partitions = Map.copyOf(new TreeMap<>(partitions));
  }

  /** What the user asked for: bounds as offsets or times; a null bound is the partition's start or end. */
  public record Request(String topic, List<Integer> partitions, Long fromOffset, Long toOffset,
      Map<Integer, Long> fromOffsets, Map<Integer, Long> toOffsets, Instant fromTime, Instant toTime) {

    public Request {
      if (fromOffset != null && fromTime != null || toOffset != null && toTime != null) {
        throw new IllegalArgumentException("give each bound as an offset or as a time, not both");
      }
      if (fromOffset != null && fromOffset < 0 || toOffset != null && toOffset < 0) {
        throw new IllegalArgumentException("offsets cannot be negative");
      }
      if (fromOffset != null && toOffset != null && fromOffset > toOffset) {
        throw new IllegalArgumentException("--from-offset " + fromOffset + " is after --to-offset " + toOffset);
      }
      if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
        throw new IllegalArgumentException("--from-time " + fromTime + " is after --to-time " + toTime);
      }
      partitions = partitions == null ? List.of() : List.copyOf(partitions);
      fromOffsets = fromOffsets == null ? Map.of() : Map.copyOf(fromOffsets);
      toOffsets = toOffsets == null ? Map.of() : Map.copyOf(toOffsets);
    }
  }

  /** Total records in the range (including transaction markers, which no reader sees). */
  public long offsets() {
    return partitions.values().stream().mapToLong(OffsetRange::count).sum();
  }

  /** {@code 0:1200..5400 1:0..300}. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    partitions.forEach((p, r) -> s.append(s.isEmpty() ? "" : " ").append(p).append(':').append(r));
    return s.toString();
  }

  /** Resolves {@code request} against the partitions' current bounds. */
  public static ReplayRange resolve(Admin admin, Consumer<byte[], byte[]> consumer, Request request)
      throws InterruptedException {
    try {
      TopicDescription description;
      try {
        description = admin.describeTopics(List.of(request.topic())).allTopicNames()
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(request.topic());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          throw new IllegalArgumentException("topic '" + request.topic() + "' does not exist");
        }
        throw e;
      }
      Set<Integer> existing = new TreeSet<>();
      description.partitions().forEach(p -> existing.add(p.partition()));
      Set<Integer> chosen = new TreeSet<>(request.partitions().isEmpty() ? existing : request.partitions());
      chosen.addAll(request.fromOffsets().keySet());
      chosen.addAll(request.toOffsets().keySet());
      for (int p : chosen) {
        if (!existing.contains(p)) {
          throw new IllegalArgumentException("topic '" + request.topic() + "' has no partition " + p + " (it has "
              + existing + ")");
        }
      }
      Map<Integer, Long> earliest = offsets(admin, request.topic(), chosen, OffsetSpec.earliest());
      Map<Integer, Long> latest = offsets(admin, request.topic(), chosen, OffsetSpec.latest());
      Map<Integer, Long> fromTimes = request.fromTime() == null ? Map.of()
          : offsets(admin, request.topic(), chosen, OffsetSpec.forTimestamp(request.fromTime().toEpochMilli()));
      Map<Integer, Long> toTimes = request.toTime() == null ? Map.of()
          : offsets(admin, request.topic(), chosen, OffsetSpec.forTimestamp(request.toTime().toEpochMilli()));
      Map<Integer, OffsetRange> ranges = new TreeMap<>();
      List<String> problems = new ArrayList<>();
      for (int p : chosen) {
        long start = earliest.get(p);
        long end = latest.get(p);
        // offsets-for-times answers -1 when no record is that late: the range runs to the partition's end
        long from = request.fromOffsets().getOrDefault(p, request.fromOffset() != null ? request.fromOffset()
            : request.fromTime() != null ? atOrEnd(fromTimes.get(p), end) : start);
        long to = request.toOffsets().getOrDefault(p, request.toOffset() != null ? request.toOffset()
            : request.toTime() != null ? atOrEnd(toTimes.get(p), end) : end);
        String where = request.topic() + "-" + p + " holds offsets " + start + ".." + end + " (end exclusive)";
        if (from > to) {
          problems.add("partition " + p + ": from offset " + from + " is after to offset " + to);
        } else if (from < start) {
          problems.add("partition " + p + ": from offset " + from + " is before the first one kept; " + where);
        } else if (to > end) {
          problems.add("partition " + p + ": to offset " + to + " is past the end; " + where);
        } else if (from < to) {
          ranges.put(p, new OffsetRange(from, to));
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      if (ranges.isEmpty()) {
        throw new IllegalArgumentException("nothing to replay: the range holds no record of '" + request.topic()
            + "' on partitions " + chosen);
      }
      Instant first = null;
      Instant last = null;
      for (Map.Entry<Integer, OffsetRange> e : ranges.entrySet()) {
        Instant a = recordTime(consumer, request.topic(), e.getKey(), e.getValue().from());
        Instant b = recordTime(consumer, request.topic(), e.getKey(), e.getValue().to() - 1);
        first = first == null || a != null && a.isBefore(first) ? a : first;
        last = last == null || b != null && b.isAfter(last) ? b : last;
      }
      return new ReplayRange(request.topic(), ranges, first, last);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s: " + cause.getMessage(),
          cause);
    }
  }

  private static long atOrEnd(Long offset, long end) {
    return offset == null || offset < 0 ? end : offset;
  }

  private static Map<Integer, Long> offsets(Admin admin, String topic, Set<Integer> partitions, OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> query = new HashMap<>();
    partitions.forEach(p -> query.put(new TopicPartition(topic, p), spec));
    Map<TopicPartition, ListOffsetsResultInfo> answer = admin.listOffsets(query).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<Integer, Long> result = new HashMap<>();
    answer.forEach((tp, info) -> result.put(tp.partition(), info.offset()));
    return result;
  }

  /**
   * The Kafka timestamp of the first record at or after {@code offset} (at {@code offset} itself there may be a
   * transaction marker, which no reader sees); null if none is readable before the partition's end.
   */
  private static Instant recordTime(Consumer<byte[], byte[]> consumer, String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(List.of(tp));
    consumer.seek(tp, offset);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        return Instant.ofEpochMilli(r.timestamp());
      }
      if (consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp)) {
        return null;
      }
    }
    return null;
  }
}
