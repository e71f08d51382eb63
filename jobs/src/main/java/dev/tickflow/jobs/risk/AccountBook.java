package dev.tickflow.jobs.risk;

import dev.tickflow.jobs.advisor.TakerSpread;
import dev.tickflow.jobs.paper.PendingOrder;
import dev.tickflow.jobs.paper.Position;
import dev.tickflow.schemas.event.Direction;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the governor knows about one account: positions and orders waiting for a fill, realized profit,
 * the session (UTC day) with its peak equity, the losing streak, a halt and who set it, the latest price of each
 * ticker (for exposure and unrealized profit), and counters for the account snapshot. Kept as bytes in keyed
 * state.
 */
public final class AccountBook implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Why new entries are stopped; null: trading. */
  public record Halt(String reason, boolean manual, long since) implements Serializable {}

  String currency;
  final BigDecimal startingEquity;
  BigDecimal realized = BigDecimal.ZERO;
  BigDecimal fees = BigDecimal.ZERO;
  final Map<String, Position> positions = new LinkedHashMap<>();
  final List<PendingOrder> pending = new ArrayList<>();
  final Map<String, BigDecimal> lastPrice = new LinkedHashMap<>();
  final Map<String, TakerSpread> takers = new LinkedHashMap<>();
  long sessionDay = Long.MIN_VALUE;
  BigDecimal sessionPeak;
  int consecutiveLosses;
  long lastLossTime = Long.MIN_VALUE;
  Halt halt;
  long nextSnapshot = Long.MIN_VALUE;
  long lastEventTime;
  final Map<String, Long> counters = new LinkedHashMap<>();

  AccountBook(RiskLimits limits) {
    this.startingEquity = limits.startingEquity();
    this.currency = limits.currency();
    this.sessionPeak = startingEquity;
  }

  void count(String counter) {
    counters.merge(counter, 1L, Long::sum);
  }

  public Map<String, Position> positions() {
    return positions;
  }

  public List<PendingOrder> pending() {
    return pending;
  }

  public Halt halt() {
    return halt;
  }

  public BigDecimal realized() {
    return realized;
  }

  /** Unrealized profit of the open positions at the latest prices (entry fees are in {@link #realized}). */
  public BigDecimal unrealized() {
    BigDecimal sum = BigDecimal.ZERO;
    for (Position p : positions.values()) {
      BigDecimal price = lastPrice.getOrDefault(p.ticker(), p.entryPrice());
      BigDecimal diff = price.subtract(p.entryPrice()).multiply(p.amount());
      sum = sum.add(p.direction() == Direction.LONG ? diff : diff.negate());
    }
    return sum;
  }

  public BigDecimal equity() {
    return startingEquity.add(realized).add(unrealized());
  }

  /** Open notional at the latest prices. */
  public BigDecimal exposure() {
    BigDecimal sum = BigDecimal.ZERO;
    for (Position p : positions.values()) {
      sum = sum.add(p.notionalAt(lastPrice.getOrDefault(p.ticker(), p.entryPrice())));
    }
    return sum;
  }

  public void setLastPrice(String ticker, BigDecimal price) {
    lastPrice.put(ticker, price);
  }

  /** The ticker's spread estimate from its taker trades (created on first use). */
  public TakerSpread taker(String ticker) {
    return takers.computeIfAbsent(ticker, t -> new TakerSpread());
  }

  /**
   * A closed trade: its gross profit joins realized (its fees were booked as they were paid), and its net profit
   * (fees included) decides the losing streak.
   */
  public void close(BigDecimal gross, BigDecimal net, long time) {
    realized = realized.add(gross);
    if (net.signum() < 0) {
      consecutiveLosses++;
      lastLossTime = time;
      count("losses");
    } else {
      consecutiveLosses = 0;
      count(net.signum() > 0 ? "wins" : "flat");
    }
    count("closed");
  }

  /** Books a fee paid (realized shrinks at once: a fee is spent whether the trade wins or not). */
  public void payFee(BigDecimal fee) {
    fees = fees.add(fee);
    realized = realized.subtract(fee);
  }

  public Map<String, Long> counters() {
    return counters;
  }

  public String currency() {
    return currency;
  }

  public BigDecimal fees() {
    return fees;
  }

  public BigDecimal sessionPeak() {
    return sessionPeak;
  }

  public int consecutiveLosses() {
    return consecutiveLosses;
  }
}
