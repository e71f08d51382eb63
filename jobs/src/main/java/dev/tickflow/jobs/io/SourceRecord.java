package dev.tickflow.jobs.io;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A Kafka record as read, bytes untouched, with its coordinates. Jobs read these rather than decoded events so
 * that a record that does not decode reaches the dead-letter topic whole, with topic, partition and offset,
 * instead of failing the source. Never changed once made: Flink passes it between chained operators without a
 * copy ({@link SourceRecordSerializer}).
 */
@TypeInfo(SourceRecordTypeInfo.Factory.class)
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

  /**
   * What an operator chained to the source already made of the payload, so that the next one need not decode it
   * again. Never serialized: after a network exchange it is null, and the payload is decoded where it is needed.
   */
  private transient Object decoded;

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

  /** What was already made of the payload on this task, or null. */
  public Object decoded() {
    return decoded;
  }

  /** Keeps what an operator made of the payload for the operators chained after it. */
  public void decoded(Object outcome) {
    this.decoded = outcome;
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
