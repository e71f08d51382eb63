package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The spread of a market that publishes trades but no book: a taker buy lifts the ask and a taker sell hits the
 * bid, so the last of each, when close enough in time, bracket the spread (the trade-sign estimate). The advisor
 * reads the market's bid and ask from it; paper execution the half spread a market order crosses.
 */
public final class TakerSpread implements Serializable {
  private static final long serialVersionUID = 1L;

  private BigDecimal lastBuy;
  private long lastBuyTime;
  private BigDecimal lastSell;
  private long lastSellTime;

  /** Takes a trade's price by its taker side; a trade of unknown side says nothing about the book. */
  public void onTrade(Trade t) {
    if (t.getSide() == Side.BUY) {
      lastBuy = t.getPrice();
      lastBuyTime = t.getEventTime().toEpochMilli();
    } else if (t.getSide() == Side.SELL) {
      lastSell = t.getPrice();
      lastSellTime = t.getEventTime().toEpochMilli();
    }
  }

  /** {bid, ask} from the last taker sell and buy when they are within {@code windowMillis}; null otherwise. */
  public BigDecimal[] bidAsk(long windowMillis) {
    if (lastBuy == null || lastSell == null || Math.abs(lastBuyTime - lastSellTime) > windowMillis) {
      return null;
    }
    return new BigDecimal[] {lastBuy.min(lastSell), lastBuy.max(lastSell)};
  }
}
