package dev.tickflow.jobs.io;

import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output every operator shares, and how a rejected record becomes a {@link DeadLetter}. */
public final class DeadLetters {

  /** Side output of records an operator could not process. */
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("deadletter", FlinkTypes.of(DeadLetter.class));

  private DeadLetters() {}

  /**
   * A dead letter for a source record: its event time, and as ingest time when it entered Kafka. No wall clock,
   * so a replay of the same input produces the same dead letters.
   */
  public static DeadLetter of(SourceRecord record, String errorType, String reason, String stage) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(record.value == null ? new byte[0] : record.value))
        .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
        .setReason(reason)
        .setErrorType(errorType)
        .setStage(stage)
        .setSourceTopic(record.topic)
        .setSourcePartition(record.partition)
        .setSourceOffset(record.offset)
        .setEventTime(Instant.ofEpochMilli(record.eventTimeOrIngestTime()))
        .setIngestTime(Instant.ofEpochMilli(record.timestamp))
        .build();
  }

  /**
   * A dead letter for an event an operator failed on: the event's own encoding as payload, where it was read
   * (null: not from Kafka), and its times. No wall clock, so a replay writes the same dead letters.
   */
  public static <T extends org.apache.avro.specific.SpecificRecord> DeadLetter of(Class<T> type, T event, String key,
      dev.tickflow.schemas.event.SourceRange source, Instant eventTime, Instant ingestTime, String errorType,
      String reason, String stage) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(dev.tickflow.schemas.codec.EventTypes.codec(type).encode(event)))
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .setReason(reason)
        .setErrorType(errorType)
        .setStage(stage)
        .setSourceTopic(source == null ? "" : source.getTopic())
        .setSourcePartition(source == null ? -1 : source.getPartition())
        .setSourceOffset(source == null ? -1 : source.getToOffset())
        .setEventTime(eventTime)
        .setIngestTime(ingestTime)
        .build();
  }
}
