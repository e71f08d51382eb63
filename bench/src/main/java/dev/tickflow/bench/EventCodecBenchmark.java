package dev.tickflow.bench;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.EventSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tickflow's {@link EventCodec} against Avro's own single-object encoder and decoder of the generated class (the
 * peer), for each event type on the market-data hot path: {@code RawTrade} (decoded once per trade), {@code Trade}
 * (encoded on the way to Kafka), {@code Candle} (every provisional update and bar) and {@code Quote}. The
 * difference is the price of the allocation-free validation pass that keeps a corrupt length from exhausting the
 * heap, plus the trailing-bytes check. The {@code flink*} pairs are the serializer of the same events on Flink's
 * network and in its state: tickflow's {@link EventSerializer} against Flink's {@link AvroSerializer}, which
 * write the same bytes ({@code Trade} and {@code RawTrade} through a {@code RecordCoder}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventCodecBenchmark {

  @Param({"RawTrade", "Trade", "Candle", "Quote"})
  public String type;

  private EventCodec<SpecificRecord> codec;
  private SpecificRecord event;
  private byte[] bytes;
  private BinaryMessageEncoder<SpecificRecord> avroEncoder;
  private BinaryMessageDecoder<SpecificRecord> avroDecoder;
  private EventSerializer<SpecificRecord> flinkSerializer;
  private AvroSerializer<SpecificRecord> flinkAvroSerializer;
  private final DataOutputSerializer flinkOut = new DataOutputSerializer(512);
  private final DataInputDeserializer flinkIn = new DataInputDeserializer();
  private byte[] flinkBytes;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    event = switch (type) {
      case "RawTrade" -> rawTrade();
      case "Trade" -> trade();
      case "Candle" -> candle();
      case "Quote" -> quote();
      default -> throw new IllegalArgumentException("no sample " + type);
    };
    Class<SpecificRecord> cls = (Class<SpecificRecord>) event.getClass();
    codec = EventTypes.codec(cls);
    bytes = codec.encode(event);
    avroEncoder = (BinaryMessageEncoder<SpecificRecord>) cls.getMethod("getEncoder").invoke(null);
    avroDecoder = (BinaryMessageDecoder<SpecificRecord>) cls.getMethod("getDecoder").invoke(null);
    flinkSerializer = new EventSerializer<>(cls);
    flinkAvroSerializer = new AvroSerializer<>(cls);
    flinkAvroSerializer.serialize(event, flinkOut);
    flinkBytes = flinkOut.getCopyOfBuffer();
  }

  @Benchmark
  public int flinkTickflowSerialize() throws Exception {
    flinkOut.clear();
    flinkSerializer.serialize(event, flinkOut);
    return flinkOut.length();
  }

  @Benchmark
  public int flinkAvroSerialize() throws Exception {
    flinkOut.clear();
    flinkAvroSerializer.serialize(event, flinkOut);
    return flinkOut.length();
  }

  @Benchmark
  public SpecificRecord flinkTickflowDeserialize() throws Exception {
    flinkIn.setBuffer(flinkBytes);
    return flinkSerializer.deserialize(flinkIn);
  }

  @Benchmark
  public SpecificRecord flinkAvroDeserialize() throws Exception {
    flinkIn.setBuffer(flinkBytes);
    return flinkAvroSerializer.deserialize(flinkIn);
  }

  @Benchmark
  public byte[] tickflowEncode() {
    return codec.encode(event);
  }

  @Benchmark
  public SpecificRecord tickflowDecode() {
    return codec.decode(bytes);
  }

  @Benchmark
  public ByteBuffer avroEncode() throws Exception {
    return avroEncoder.encode(event);
  }

  @Benchmark
  public SpecificRecord avroDecode() throws Exception {
    return avroDecoder.decode(ByteBuffer.wrap(bytes));
  }

  private static final Instant TIME = Instant.ofEpochMilli(1570752011620L);

  private static RawTrade rawTrade() {
    return RawTrade.newBuilder().setExchange("BINANCE").setSymbol("XRP/ETH").setVenueSymbol("XRPETH")
        .setTradeId("13519807").setPrice("0.00141342").setAmount("23.00000000").setSide(Side.SELL)
        .setEventTime(TIME).setIngestTime(TIME.plusMillis(80)).setFormat("binance.aggTrade")
        .setInfo(Map.of("a", "13519807", "f", "15460140", "l", "15460140", "m", "true")).build();
  }

  private static Trade trade() {
    return Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId("13519807")
        .setPrice(Decimals.parse("0.00141342")).setAmount(Decimals.parse("23.00000000")).setSide(Side.SELL)
        .setEventTime(TIME).setIngestTime(TIME.plusMillis(80))
        .setSource(new SourceRange("market_data.raw", 0, 42L, 42L)).build();
  }

  private static Candle candle() throws Exception {
    return SampleMarket.candles().get(0);
  }

  private static Quote quote() {
    return Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setBidPrice(Decimals.parse("0.00141300")).setBidAmount(Decimals.parse("1520.00000000"))
        .setAskPrice(Decimals.parse("0.00141342")).setAskAmount(Decimals.parse("96.00000000"))
        .setEventTime(TIME).setIngestTime(TIME.plusMillis(80))
        .setSource(new SourceRange("market_data.quotes", 0, 7L, 7L)).build();
  }
}
