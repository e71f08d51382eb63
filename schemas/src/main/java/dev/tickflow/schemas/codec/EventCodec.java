package dev.tickflow.schemas.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one event type in Avro single-object encoding.
 *
 * <p>Decoding accepts the current schema and every released schema of the type (resolved to the current one),
 * and refuses anything else with a typed {@link PayloadException}: not single-object, unknown fingerprint,
 * another event type, a body that does not decode, or trailing bytes after a complete record. The last check
 * matters: a flipped length byte can otherwise decode to plausible garbage. Lengths and counts are checked
 * against the payload before anything is allocated, so one bad record cannot exhaust the heap.
 *
 * <p>Instances are thread-safe and cheap to share; obtain them from {@link EventTypes#codec(Class)}.
 */
public final class EventCodec<T extends SpecificRecord> {

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final SpecificData model;
  /** Shared by every thread, as Avro's own message encoder shares its writer. */
  private final SpecificDatumWriter<T> datumWriter;
  /** Field-by-field coding of the current schema where one exists; Avro's generic writer and reader otherwise. */
  private final RecordCoder<T> coder;
  private final byte[] header;
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
  /** Writer schemas this codec reads, by fingerprint: the current one plus released ones. */
  private final Map<Long, Schema> writers;
  private final Map<Long, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  EventCodec(Class<T> type, Schema schema, Iterable<Schema> olderSchemas) {
    this.type = type;
    this.schema = schema;
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.model = SpecificData.getForClass(type);
    this.datumWriter = new SpecificDatumWriter<>(schema, model);
    this.coder = RecordCoder.of(type);
    this.header = SingleObjectHeader.of(fingerprint);
    Map<Long, Schema> w = new ConcurrentHashMap<>();
    w.put(fingerprint, schema);
    for (Schema older : olderSchemas) {
      w.putIfAbsent(SchemaNormalization.parsingFingerprint64(older), older);
    }
    this.writers = Map.copyOf(w);
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  /** CRC-64-AVRO fingerprint of the current schema, as carried in the header of what {@link #encode} writes. */
  public long fingerprint() {
    return fingerprint;
  }

  /** True if a payload with this writer fingerprint can be decoded by this codec. */
  public boolean reads(long writerFingerprint) {
    return writers.containsKey(writerFingerprint);
  }

  /**
   * The event in single-object encoding: the header, then Avro's binary encoding of the record. The same bytes
   * as Avro's {@code BinaryMessageEncoder}, which writes through an unbuffered encoder to a synchronized stream,
   * one call per field and per varint, and then copies the result twice; here a buffered encoder writes into a
   * reused per-thread buffer, copied once. On the job's Kafka sinks it was a quarter of the busiest task.
   */
  public byte[] encode(T event) {
    Scratch s = scratch.get();
    s.bytes.reset();
    s.bytes.write(header, 0, header.length);
    s.encoder = EncoderFactory.get().binaryEncoder(s.bytes, s.encoder);
    try {
      if (coder != null) {
        coder.encode(event, s.encoder);
      } else {
        datumWriter.write(event, s.encoder);
      }
      s.encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    return s.bytes.toByteArray();
  }

  /** Decodes a payload, or throws a {@link PayloadException} that says why not. */
  public T decode(byte[] payload) {
    long writerFp = SingleObjectHeader.fingerprint(payload);
    Schema writer = writers.get(writerFp);
    if (writer == null) {
      String other = EventTypes.typeNameOf(writerFp);
      if (other != null) {
        throw new PayloadException(PayloadException.Kind.WRONG_TYPE,
            "payload is a " + other + ", expected " + type.getSimpleName());
      }
      throw new PayloadException(PayloadException.Kind.UNKNOWN_SCHEMA,
          "schema fingerprint " + SingleObjectHeader.hex(writerFp) + " is not a known version of "
              + type.getSimpleName());
    }
    SpecificDatumReader<T> reader = readers.computeIfAbsent(writerFp,
        fp -> new SpecificDatumReader<>(writers.get(fp), schema, model));
    try {
      int bodyLength = payload.length - SingleObjectHeader.LENGTH;
      // Walk the body once without allocating: a corrupt length or item count then ends in EOF instead of
      // an allocation of gigabytes when the real read trusts it.
      Scratch s = scratch.get(); // decoders reused: each is a few objects, and this runs once per record
      BinaryDecoder probe = s.probe = DecoderFactory.get().binaryDecoder(payload, SingleObjectHeader.LENGTH,
          bodyLength, s.probe);
      GenericDatumReader.skip(writer, probe);
      if (!probe.isEnd()) {
        throw new PayloadException(PayloadException.Kind.CORRUPT_PAYLOAD,
            type.getSimpleName() + " decoded but bytes are left over: the payload is corrupt");
      }
      BinaryDecoder in = s.decoder = DecoderFactory.get().binaryDecoder(payload, SingleObjectHeader.LENGTH,
          bodyLength, s.decoder);
      return coder != null && writerFp == fingerprint ? coder.decode(in) : reader.read(null, in);
    } catch (PayloadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Corrupt bodies surface as EOF, bad lengths, bad enum indexes or bad decimals: all the same to a caller.
      throw new PayloadException(PayloadException.Kind.CORRUPT_PAYLOAD,
          type.getSimpleName() + " body does not decode: " + e, e);
    }
  }

  /** One thread's encoding buffer and coders; {@link ByteArrayOutputStream}'s locks are never contended here. */
  private static final class Scratch {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    BinaryEncoder encoder;
    BinaryDecoder probe;
    BinaryDecoder decoder;
  }
}
