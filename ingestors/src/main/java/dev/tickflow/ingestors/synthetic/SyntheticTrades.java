package dev.tickflow.ingestors.synthetic;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Synthetic trades for load tests, deterministic for a seed: a multiplicative random walk per ticker, kept in whole
 * ticks so prices are exact decimals; Poisson arrivals with periodic bursts; a share of exact duplicates; and
 * out-of-order delivery bounded by a number of positions. Everything injected is counted, so a test can check
 * that the pipeline removed exactly the duplicates and kept every trade.
 */
public final class SyntheticTrades implements Iterator<RawTrade> {

  public static final String EXCHANGE = "SYNTH";
  public static final String FORMAT = "synthetic";
  private static final int PRICE_SCALE = 2;     // ticks of 0.01
  private static final int AMOUNT_SCALE = 4;    // steps of 0.0001

  private final SyntheticConfig config;
  private final SplittableRandom random;
  private final List<Ticker> tickers = new ArrayList<>();
  private final long[] priceTicks;
  private final long[] nextId;
  private final List<RawTrade> shuffle = new ArrayList<>();
  private final List<Long> shuffleSeq = new ArrayList<>();
  private long released;
  private final List<RawTrade> recent = new ArrayList<>();
  private double eventMillis;
  private long generated;
  private long duplicates;

  public SyntheticTrades(SyntheticConfig config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    this.priceTicks = new long[config.tickers()];
    this.nextId = new long[config.tickers()];
    for (int i = 0; i < config.tickers(); i++) {
      tickers.add(Ticker.of(EXCHANGE, String.format("S%03d", i), "USD"));
      priceTicks[i] = 1_000 + random.nextLong(1_000_000); // 10.00 .. 10,009.99
      nextId[i] = 1;
    }
    this.eventMillis = config.start().toEpochMilli();
  }

  /** Distinct trades generated so far. */
  public long generated() {
    return generated;
  }

  /** Exact repeats emitted so far. */
  public long duplicates() {
    return duplicates;
  }

  @Override
  public boolean hasNext() {
    return generated < config.count() || !shuffle.isEmpty();
  }

  @Override
  public RawTrade next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    if (!recent.isEmpty() && random.nextDouble() < config.duplicateRatio()) {
      duplicates++;
      return recent.get(random.nextInt(recent.size()));
    }
    // Hold up to maxDisplacement trades back and release a random one, except that a trade is released as soon
    // as it is due: the one generated n-th leaves at position n + maxDisplacement at the latest.
    while (generated < config.count() && shuffle.size() <= config.maxDisplacement()) {
      shuffleSeq.add(generated);
      shuffle.add(generate());
    }
    int pick = shuffleSeq.get(0) + config.maxDisplacement() <= released || config.maxDisplacement() == 0
        ? 0 : random.nextInt(shuffle.size());
    shuffleSeq.remove(pick);
    RawTrade out = shuffle.remove(pick);
    released++;
    recent.add(out);
    if (recent.size() > 1_000) {
      recent.remove(0);
    }
    return out;
  }

  private RawTrade generate() {
    long second = (long) (eventMillis - config.start().toEpochMilli()) / 1000;
    double rate = config.tradesPerSecond() * (second % 10 == 9 ? config.burstFactor() : 1);
    eventMillis += -Math.log(1 - random.nextDouble()) * 1000 / rate; // exponential inter-arrival
    int i = random.nextInt(tickers.size());
    // Log-normal step of about 5 basis points, in whole ticks, never below one tick.
    long step = Math.round(priceTicks[i] * 0.0005 * random.nextGaussian());
    priceTicks[i] = Math.max(1, priceTicks[i] + step);
    long amountSteps = 1 + (long) Math.floor(Math.exp(random.nextGaussian() * 1.5 + 7));
    Ticker t = tickers.get(i);
    long id = nextId[i]++;
    long time = (long) eventMillis;
    String price = BigDecimal.valueOf(priceTicks[i], PRICE_SCALE).toPlainString();
    String amount = BigDecimal.valueOf(amountSteps, AMOUNT_SCALE).toPlainString();
    generated++;
    return RawTrade.newBuilder()
        .setExchange(t.exchange())
        .setSymbol(t.symbol())
        .setVenueSymbol(t.base() + t.quote())
        .setTradeId(Long.toString(id))
        .setPrice(price)
        .setAmount(amount)
        .setSide(random.nextBoolean() ? Side.BUY : Side.SELL)
        .setEventTime(Instant.ofEpochMilli(time))
        .setIngestTime(Instant.ofEpochMilli(time))
        .setFormat(FORMAT)
        .setInfo(Map.of("seed", Long.toString(config.seed()), "seq", Long.toString(generated - 1)))
        .build();
  }
}
