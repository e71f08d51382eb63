package dev.tickflow.schemas.codec;

import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Trade;
import java.io.IOException;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro's encoding of one record type, written field by field against Avro's {@link Encoder} and {@link Decoder}:
 * what Avro's compiler generates as {@code customEncode}/{@code customDecode} for a schema without logical types,
 * and declines to for tickflow's, whose decimals and timestamps are logical types. Without it every record goes
 * through Avro's generic writer and reader, which look each field's schema, union branch and conversion up again
 * per record; on the market-data job's trade path that dispatch was most of the time spent in Avro.
 *
 * <p>A coder writes exactly what Avro's writer writes for the current schema, through whichever encoder it is
 * given (Avro's binary encoder for Kafka, Flink's {@code DataOutputEncoder} for the network and state), and reads
 * only that schema: payloads written with an older schema still go through Avro's resolving reader.
 * {@code RecordCoderTest} holds each coder to Avro's bytes and records over generated and corrupted input.
 */
public interface RecordCoder<T extends SpecificRecord> {

  void encode(T record, Encoder out) throws IOException;

  T decode(Decoder in) throws IOException;

  /** The coder of a type, or null where Avro's generic writer and reader serve (types off the hot path). */
  @SuppressWarnings("unchecked")
  static <T extends SpecificRecord> RecordCoder<T> of(Class<T> type) {
    if (type == Trade.class) {
      return (RecordCoder<T>) TradeCoder.INSTANCE;
    }
    if (type == RawTrade.class) {
      return (RecordCoder<T>) RawTradeCoder.INSTANCE;
    }
    return null;
  }
}
