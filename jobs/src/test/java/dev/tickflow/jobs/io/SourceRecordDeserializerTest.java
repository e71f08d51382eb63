package dev.tickflow.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class SourceRecordDeserializerTest {

  private static final long APPENDED = 1_795_000_000_000L; // when the record entered Kafka (2026)
  private static final long TRADED = 1_570_752_011_620L;   // when the trade happened (2019)

  private static SourceRecord read(byte[] value, byte[] header) {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    if (header != null) {
      headers.add(RecordHeaders.EVENT_TIME, header);
    }
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("market_data.raw", 3, 41, APPENDED,
        TimestampType.LOG_APPEND_TIME, 0, value.length, "k".getBytes(StandardCharsets.UTF_8), value, headers,
        Optional.empty());
    List<SourceRecord> out = new ArrayList<>();
    new SourceRecordDeserializer(payload -> {
      if (payload[0] != 'T') {
        throw new IllegalArgumentException("not a trade");
      }
      return TRADED + 1;
    }).deserialize(record, new Collector<>() {
      @Override
      public void collect(SourceRecord r) {
        out.add(r);
      }

      @Override
      public void close() {}
    });
    return out.get(0);
  }

  @Test
  void theHeaderGivesTheEventTimeAndTheKafkaTimestampStaysTheIngestTime() {
    SourceRecord r = read("Trade".getBytes(StandardCharsets.UTF_8), RecordHeaders.eventTime(TRADED));
    assertThat(r.eventTime).isEqualTo(TRADED);
    assertThat(r.timestamp).isEqualTo(APPENDED);
    assertThat(r.partition).isEqualTo(3);
    assertThat(r.offset).isEqualTo(41);
  }

  @Test
  void withoutAHeaderThePayloadSaysAndGarbageNeverMovesTheWatermark() {
    assertThat(read("Trade".getBytes(StandardCharsets.UTF_8), null).eventTime).isEqualTo(TRADED + 1);
    assertThat(read("Trade".getBytes(StandardCharsets.UTF_8), "soon".getBytes(StandardCharsets.UTF_8)).eventTime)
        .isEqualTo(TRADED + 1);
    SourceRecord garbage = read("garbage".getBytes(StandardCharsets.UTF_8), null);
    assertThat(garbage.eventTime).isEqualTo(Long.MIN_VALUE);
    assertThat(garbage.eventTimeOrIngestTime()).isEqualTo(APPENDED);
  }
}
