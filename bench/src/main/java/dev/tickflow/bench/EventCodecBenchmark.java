package dev.tickflow.bench;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * tickflow's {@link EventCodec} against Avro's own single-object decoder (the peer, {@code Trade.fromByteBuffer}).
 * The difference is the price of the allocation-free validation pass that keeps a corrupt length from
 * exhausting the heap, plus the trailing-bytes check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventCodecBenchmark {

  private EventCodec<Trade> codec;
  private Trade trade;
  private byte[] bytes;

  @Setup
  public void setUp() {
    codec = EventTypes.codec(Trade.class);
    trade = Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId("13519807")
        .setPrice(Decimals.parse("0.00141342")).setAmount(Decimals.parse("23.00000000")).setSide(Side.SELL)
        .setEventTime(Instant.ofEpochMilli(1570752011620L)).setIngestTime(Instant.ofEpochMilli(1570752011700L))
        .setSource(new SourceRange("market_data.raw", 0, 42L, 42L)).build();
    bytes = codec.encode(trade);
  }

  @Benchmark
  public byte[] tickflowEncode() {
    return codec.encode(trade);
  }

  @Benchmark
  public Trade tickflowDecode() {
    return codec.decode(bytes);
  }

  @Benchmark
  public Trade avroDecode() throws Exception {
    return Trade.fromByteBuffer(ByteBuffer.wrap(bytes));
  }
}
