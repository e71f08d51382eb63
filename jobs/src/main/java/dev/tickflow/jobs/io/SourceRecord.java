package dev.tickflow.jobs.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A Kafka record as read, bytes untouched, with its coordinates. Jobs read these rather than decoded events so
 * that a record that does not decode reaches the dead-letter topic whole, with topic, partition and offset,
 * instead of failing the source. A Flink POJO: public fields, no-argument constructor.
 */
public class SourceRecord {

  public String topic;
  public int partition;
  public long offset;
  /** Kafka record timestamp, ms: when the record entered Kafka (tickflow topics use LogAppendTime). */
  public long timestamp;
  /** Event time, ms (see {@link SourceRecordDeserializer}); {@link Long#MIN_VALUE} when unknown. */
  public long eventTime;
  public byte[] key;
  public byte[] value;

  public SourceRecord() {}

  public SourceRecord(String topic, int partition, long offset, long timestamp, long eventTime, byte[] key,
      byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.eventTime = eventTime;
    this.key = key;
    this.value = value;
  }

  /** The event time if known, else when the record entered Kafka. */
  public long eventTimeOrIngestTime() {
    return eventTime == Long.MIN_VALUE ? timestamp : eventTime;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceRecord r && partition == r.partition && offset == r.offset
        && timestamp == r.timestamp && eventTime == r.eventTime && Objects.equals(topic, r.topic) && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
