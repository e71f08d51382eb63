package dev.tickflow.ingestors.exchange;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A venue's REST request budget: at most {@code limit} weight per window (Binance: 6000 per minute, each
 * endpoint with its own weight; Coinbase and Kraken: a number of calls per second, weight 1 each). A call that
 * would overrun the window waits for the next one instead of earning a 429 and, on Binance, an IP ban (418).
 * Venues that report the weight they have counted (Binance's {@code X-MBX-USED-WEIGHT-1M}) correct the count, so
 * calls from other processes on the same IP are accounted for.
 */
public final class RequestBudget {

  /** Waits; tests pass one that records instead of sleeping. */
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final long limit;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private long windowStart;
  private long used;
  private long waits;

  public RequestBudget(long limit, Duration window) {
    this(limit, window, System::nanoTime, d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000)));
  }

  public RequestBudget(long limit, Duration window, LongSupplier nanoClock, Sleeper sleeper) {
    if (limit <= 0) {
      throw new IllegalArgumentException("a request budget must be positive, got " + limit);
    }
    this.limit = limit;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
    this.windowStart = nanoClock.getAsLong();
  }

  /** A budget that never waits, for sources with no limit (a local mirror). */
  public static RequestBudget unlimited() {
    return new RequestBudget(Long.MAX_VALUE, Duration.ofMinutes(1));
  }

  /** Takes {@code weight} from the budget, first waiting for the next window if this one cannot afford it. */
  public synchronized void acquire(long weight) throws InterruptedException {
    roll();
    if (used + weight > limit && used > 0) {
      long wait = windowStart + windowNanos - nanoClock.getAsLong();
      if (wait > 0) {
        waits++;
        sleeper.sleep(Duration.ofNanos(wait));
      }
      roll();
    }
    used += weight;
  }

  /** The venue's own count of the weight used in the current window. */
  public synchronized void observeUsed(long venueCount) {
    roll();
    used = Math.max(used, venueCount);
  }

  public long limit() {
    return limit;
  }

  public synchronized long used() {
    roll();
    return used;
  }

  /** How many calls had to wait for the next window. */
  public synchronized long waits() {
    return waits;
  }

  private void roll() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now - (now - windowStart) % windowNanos;
      used = 0;
    }
  }
}
