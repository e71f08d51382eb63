package dev.tickflow.bench;

import dev.tickflow.schemas.Decimals;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What exactness costs per number: {@link Decimals#parse} (parse, reject what would round or overflow
 * decimal(38,18), bring to scale 18) on the texts venues send, beside the plain JDK parse (the peer:
 * {@code new BigDecimal(text)}, no checks, any scale) and the naive exact version
 * ({@code new BigDecimal(text).setScale(18)}, which throws on rounding but builds any number of digits first).
 * Every trade carries two such numbers, a price and an amount.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecimalParsingBenchmark {

  /** A Binance XRP/ETH price, an amount with trailing zeros, a large BTC/USDT quote volume. */
  @Param({"0.00141342", "23.00000000", "123456789.123456789"})
  public String text;

  @Benchmark
  public BigDecimal tickflowParse() {
    return Decimals.parse(text);
  }

  @Benchmark
  public BigDecimal jdkParse() {
    return new BigDecimal(text);
  }

  @Benchmark
  public BigDecimal jdkParseAtScale18() {
    return new BigDecimal(text).setScale(Decimals.SCALE);
  }
}
