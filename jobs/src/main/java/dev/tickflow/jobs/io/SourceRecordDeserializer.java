package dev.tickflow.jobs.io;

import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Keeps every Kafka record with its coordinates; decoding happens downstream where failures can be routed.
 *
 * <p>The event time, which the source's watermarks are built on, is the {@code tickflow.event-time} header when
 * there is one (no decoding needed); otherwise the payload's own, if it decodes; otherwise unknown
 * ({@link Long#MIN_VALUE}), which never advances a watermark. Never the Kafka timestamp: that is when the record
 * entered Kafka, and one record from a producer that did not set the header would pull the watermark to today.
 */
public final class SourceRecordDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {

  private static final long serialVersionUID = 1L;

  /** Reads the event time out of a payload; throws if the payload does not decode. */
  public interface PayloadEventTime extends Serializable {
    long of(byte[] payload) throws Exception;
  }

  private final PayloadEventTime payloadEventTime;

  public SourceRecordDeserializer(PayloadEventTime payloadEventTime) {
    this.payloadEventTime = payloadEventTime;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
    Header header = record.headers().lastHeader(RecordHeaders.EVENT_TIME);
    long eventTime = RecordHeaders.eventTime(header == null ? null : header.value(), Long.MIN_VALUE);
    if (eventTime == Long.MIN_VALUE && record.value() != null) {
      try {
        eventTime = payloadEventTime.of(record.value());
      } catch (Exception undecodable) {
        // stays unknown; the record itself is dead-lettered downstream with the reason
      }
    }
    out.collect(new SourceRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), eventTime,
        record.key(), record.value()));
  }

  @Override
  public TypeInformation<SourceRecord> getProducedType() {
    return FlinkTypes.of(SourceRecord.class);
  }
}
