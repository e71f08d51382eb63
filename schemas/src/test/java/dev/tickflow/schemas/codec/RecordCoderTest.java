package dev.tickflow.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.EventSerializer;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;

/**
 * Each {@link RecordCoder} against Avro itself, over generated records (any Unicode, nulls where none may be,
 * decimals of every scale and of too many digits, any instant) and over their encodings corrupted: the same
 * bytes or the same refusal when writing, through Avro's binary encoder and through Flink's; the same record or
 * a refusal for both when reading.
 */
class RecordCoderTest {

  @Property(tries = 2_000)
  @StatisticsReport(onFailureOnly = true)
  void tradesAreWrittenAndReadAsAvroDoes(@ForAll("trades") Trade trade) throws Exception {
    assertWrittenAndReadAsAvroDoes(Trade.class, trade);
  }

  @Property(tries = 2_000)
  @StatisticsReport(onFailureOnly = true)
  void rawTradesAreWrittenAndReadAsAvroDoes(@ForAll("rawTrades") RawTrade raw) throws Exception {
    assertWrittenAndReadAsAvroDoes(RawTrade.class, raw);
  }

  @Property(tries = 3_000)
  @StatisticsReport(onFailureOnly = true)
  void aCorruptTradeIsReadAsAvroReadsItOrRefusedByBoth(@ForAll("trades") Trade trade,
      @ForAll("corruptions") Corruption corruption) {
    byte[] body = avroBytes(Trade.class, trade);
    if (body != null) {
      assertReadAsAvroReads(Trade.class, corruption.apply(body));
    }
    Statistics.label("read").coverage(c -> c.check(true).percentage(p -> p > 5));
  }

  @Property(tries = 3_000)
  @StatisticsReport(onFailureOnly = true)
  void aCorruptRawTradeIsReadAsAvroReadsItOrRefusedByBoth(@ForAll("rawTrades") RawTrade raw,
      @ForAll("corruptions") Corruption corruption) {
    byte[] body = avroBytes(RawTrade.class, raw);
    if (body != null) {
      assertReadAsAvroReads(RawTrade.class, corruption.apply(body));
    }
    Statistics.label("read").coverage(c -> c.check(true).percentage(p -> p > 5));
  }

  private static <T extends SpecificRecord> void assertWrittenAndReadAsAvroDoes(Class<T> type, T record)
      throws Exception {
    byte[] avros = avroBytes(type, record);
    byte[] ours = coderBytes(type, record);
    Statistics.label("written").collect(avros != null);
    Statistics.label("written").coverage(c -> {
      c.check(true).percentage(p -> p > 30);
      c.check(false).percentage(p -> p > 5);
    });
    assertThat(ours).as("Avro's bytes, or a refusal like Avro's").isEqualTo(avros);
    byte[] flinks = flinkAvroBytes(type, record);
    byte[] oursOnFlink = flinkCoderBytes(type, record);
    assertThat(oursOnFlink).as("Flink's Avro serializer's bytes").isEqualTo(flinks);
    if (avros == null) {
      return;
    }
    T read = RecordCoder.of(type).decode(DecoderFactory.get().binaryDecoder(avros, null));
    assertThat(read).isEqualTo(avroRead(type, avros));
    EventSerializer<T> serializer = new EventSerializer<>(type);
    assertThat(serializer.deserialize(new DataInputDeserializer(flinks)))
        .isEqualTo(new AvroSerializer<>(type).deserialize(new DataInputDeserializer(flinks)))
        .isEqualTo(read);
  }

  private static <T extends SpecificRecord> void assertReadAsAvroReads(Class<T> type, byte[] body) {
    Object avros = outcome(() -> avroRead(type, body));
    Object ours = outcome(() -> {
      BinaryDecoder in = probed(type, body);
      return RecordCoder.of(type).decode(in);
    });
    assertThat(ours).isEqualTo(avros);
    Statistics.label("read").collect(!"refused".equals(avros));
  }

  /** A read's record, or the word "refused": which exception each side throws is its own. */
  private static Object outcome(ThrowingSupplier read) {
    try {
      return read.get();
    } catch (Exception e) {
      return "refused";
    }
  }

  interface ThrowingSupplier {
    Object get() throws Exception;
  }

  /** As {@link EventCodec} reads: a skip over the body first, so corrupt lengths fail before allocating. */
  private static BinaryDecoder probed(Class<?> type, byte[] body) throws Exception {
    Schema schema = SpecificData.get().getSchema(type);
    BinaryDecoder probe = DecoderFactory.get().binaryDecoder(body, null);
    GenericDatumReader.skip(schema, probe);
    return DecoderFactory.get().binaryDecoder(body, null);
  }

  private static <T extends SpecificRecord> T avroRead(Class<T> type, byte[] body) throws Exception {
    BinaryDecoder in = probed(type, body);
    SpecificData model = SpecificData.getForClass(type);
    return new SpecificDatumReader<T>(model.getSchema(type), model.getSchema(type), model).read(null, in);
  }

  private static <T extends SpecificRecord> byte[] avroBytes(Class<T> type, T record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      SpecificData model = SpecificData.getForClass(type);
      new SpecificDatumWriter<T>(model.getSchema(type), model).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (Exception e) {
      return null;
    }
  }

  private static <T extends SpecificRecord> byte[] coderBytes(Class<T> type, T record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      RecordCoder.of(type).encode(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (Exception e) {
      return null;
    }
  }

  private static <T extends SpecificRecord> byte[] flinkAvroBytes(Class<T> type, T record) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(64);
      new AvroSerializer<>(type).serialize(record, out);
      return out.getCopyOfBuffer();
    } catch (Exception e) {
      return null;
    }
  }

  private static <T extends SpecificRecord> byte[] flinkCoderBytes(Class<T> type, T record) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(64);
      new EventSerializer<>(type).serialize(record, out);
      return out.getCopyOfBuffer();
    } catch (Exception e) {
      return null;
    }
  }

  /** One way to break an encoding: flip a byte, cut it short, or put bytes where a length or index is. */
  record Corruption(int position, int value, int kind) {
    byte[] apply(byte[] body) {
      if (body.length == 0) {
        return body;
      }
      int at = Math.floorMod(position, body.length);
      return switch (kind) {
        case 0 -> {
          byte[] b = body.clone();
          b[at] = (byte) value;
          yield b;
        }
        case 1 -> Arrays.copyOf(body, at);
        default -> {
          byte[] b = body.clone();
          for (int i = at; i < Math.min(b.length, at + 3); i++) {
            b[i] = (byte) (value + i);
          }
          yield b;
        }
      };
    }
  }

  /** The coder reads after EventCodec's skip over the body, which refuses a length the payload cannot hold. */
  @Example
  void aLengthOfTwoBillionIsRefusedWithoutAllocatingIt() {
    EventCodec<Trade> codec = EventTypes.codec(Trade.class);
    byte[] good = codec.encode(SampleEvents.sample(Trade.class, 1));
    // the first field, exchange, given the length 2,147,483,640 as a zigzag varint
    byte[] length = {(byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    byte[] bad = new byte[good.length + length.length];
    System.arraycopy(good, 0, bad, 0, SingleObjectHeader.LENGTH);
    System.arraycopy(length, 0, bad, SingleObjectHeader.LENGTH, length.length);
    System.arraycopy(good, SingleObjectHeader.LENGTH, bad, SingleObjectHeader.LENGTH + length.length,
        good.length - SingleObjectHeader.LENGTH);
    assertThatThrownBy(() -> codec.decode(bad)).isInstanceOfSatisfying(PayloadException.class,
        e -> assertThat(e.kind()).isEqualTo(PayloadException.Kind.CORRUPT_PAYLOAD));
  }

  @Provide
  Arbitrary<Corruption> corruptions() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 2)).as(Corruption::new);
  }

  @Provide
  Arbitrary<Trade> trades() {
    Arbitrary<String[]> names = Combinators.combine(exchanges(), text(), text(), text())
        .as((ex, base, quote, id) -> new String[] {ex, base, quote, id});
    Arbitrary<Object[]> values = Combinators.combine(decimals(), decimals(), sides(), instants(), instants())
        .as((price, amount, side, at, ingested) -> new Object[] {price, amount, side, at, ingested});
    return Combinators.combine(names, values, sourceRanges(), text().injectNull(0.5))
        .as((n, v, source, history) -> new Trade(n[0], n[1], n[2], n[3], (BigDecimal) v[0], (BigDecimal) v[1],
            (Side) v[2], (Instant) v[3], (Instant) v[4], source, history));
  }

  @Provide
  Arbitrary<RawTrade> rawTrades() {
    Arbitrary<String[]> names = Combinators.combine(exchanges(), text(), text(), text(), text(), text())
        .as((ex, symbol, venue, id, price, amount) -> new String[] {ex, symbol, venue, id, price, amount});
    Arbitrary<Map<String, String>> info = Arbitraries.maps(text().filter(Objects::nonNull),
        text().filter(Objects::nonNull)).ofMaxSize(5).injectNull(0.01);
    Arbitrary<Object[]> rest = Combinators.combine(sides(), instants(), instants(), text(), info, text(),
        text().injectNull(0.5)).as((side, at, ingested, format, i, ingestor, history) ->
            new Object[] {side, at, ingested, format, i, ingestor, history});
    return Combinators.combine(names, rest).as((n, r) -> {
      @SuppressWarnings("unchecked")
      Map<String, String> infoMap = (Map<String, String>) r[4];
      return new RawTrade(n[0], n[1], n[2], n[3], n[4], n[5], (Side) r[0], (Instant) r[1], (Instant) r[2],
          (String) r[3], infoMap, (String) r[5], (String) r[6]);
    });
  }

  private static Arbitrary<String> exchanges() {
    return Arbitraries.of("BINANCE", "COINBASE", "KRAKEN", "").injectNull(0.01);
  }

  /** Any string, now and then none: unpaired surrogates and all, since both sides encode them the same way. */
  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().ascii().ofMaxLength(12)).injectNull(0.01);
  }

  /** Scale 18 as tickflow writes them, other scales Avro rescales or refuses, and more digits than 38. */
  private static Arbitrary<BigDecimal> decimals() {
    Arbitrary<BigInteger> unscaled = Arbitraries.oneOf(Arbitraries.bigIntegers().between(
        BigInteger.TEN.pow(45).negate(), BigInteger.TEN.pow(45)),
        Arbitraries.longs().map(BigInteger::valueOf));
    return Combinators.combine(unscaled, Arbitraries.integers().between(-2, 22)
        .withDistribution(net.jqwik.api.RandomDistribution.uniform()))
        .as((u, scale) -> new BigDecimal(u, scale)).injectNull(0.01);
  }

  private static Arbitrary<Side> sides() {
    return Arbitraries.of(Side.class).injectNull(0.01);
  }

  private static Arbitrary<Instant> instants() {
    return Arbitraries.longs().map(Instant::ofEpochMilli); // the generated constructors refuse null instants
  }

  private static Arbitrary<SourceRange> sourceRanges() {
    return Combinators.combine(text(), Arbitraries.integers(), Arbitraries.longs(), Arbitraries.longs())
        .as(SourceRange::new).injectNull(0.01);
  }
}
