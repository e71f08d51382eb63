package dev.tickflow.jobs.paper;

import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.jobs.risk.AccountBook;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FillPurpose;
import dev.tickflow.schemas.event.OutcomeKind;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.Trade;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Simulated execution against the market data that follows a decision. An approved order fills at the next
 * trade of its ticker after it was placed: a market order crosses the spread (half the spread from the last taker
 * buy and sell, when they are recent) and pays {@code slippageBps} more. At the fill, the position gets its
 * protective orders: the stop-loss is a market order triggered by a trade at or through it, the take-profit a
 * limit order that fills at its price when a trade reaches it. Every fill pays {@code feeBps}. A closed position
 * becomes a {@link SignalOutcome} with its profit, fees included, and the ids back to its signal.
 */
public final class PaperBroker implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final BigDecimal BPS = BigDecimal.valueOf(10_000);

  /** Where the broker's events go. */
  public interface Events {
    void fill(Fill fill);

    void outcome(SignalOutcome outcome);
  }

  private final PaperConfig config;

  public PaperBroker(PaperConfig config) {
    this.config = config;
  }

  /** A trade: the ticker's price moves, the account's waiting orders fill, protective orders trigger. */
  public void onTrade(AccountBook book, String account, Trade t, Events out) {
    String ticker = Ticker.key(t.getExchange(), t.getBase(), t.getQuote());
    long time = t.getEventTime().toEpochMilli();
    BigDecimal price = t.getPrice();
    // positions opened before this trade are exposed to it; one opened by it is not (it fills at this trade)
    List<Position> exposed = new ArrayList<>();
    for (Position p : book.positions().values()) {
      if (p.ticker().equals(ticker) && p.openTime() < time) {
        exposed.add(p);
      }
    }
    Iterator<PendingOrder> orders = book.pending().iterator();
    List<PendingOrder> due = new ArrayList<>();
    while (orders.hasNext()) {
      PendingOrder o = orders.next();
      if (o.ticker().equals(ticker) && o.placedAt() < time) {
        due.add(o);
        orders.remove();
      }
    }
    BigDecimal half = halfSpread(book, ticker);
    for (PendingOrder o : due) {
      BigDecimal fillPrice = marketPrice(o.side(), price, half);
      if (o.purpose() == FillPurpose.OPEN) {
        open(book, account, o, fillPrice, price, t, out);
      } else {
        Position p = book.positions().get(ticker);
        if (p != null && p.positionId().equals(o.positionId())) {
          close(book, account, p, o.purpose(), fillPrice, price, t, out);
          exposed.remove(p);
        }
      }
    }
    for (Position p : exposed) {
      boolean isLong = p.direction() == Direction.LONG;
      if (isLong ? price.compareTo(p.stopLoss()) <= 0 : price.compareTo(p.stopLoss()) >= 0) {
        close(book, account, p, FillPurpose.STOP_LOSS, marketPrice(isLong ? Side.SELL : Side.BUY, price, half), price, t, out);
      } else if (isLong ? price.compareTo(p.takeProfit()) >= 0 : price.compareTo(p.takeProfit()) <= 0) {
        close(book, account, p, FillPurpose.TAKE_PROFIT, p.takeProfit(), price, t, out);
      }
    }
    book.setLastPrice(ticker, price);
    book.taker(ticker).onTrade(t);
  }

  private BigDecimal halfSpread(AccountBook book, String ticker) {
    BigDecimal[] bidAsk = book.taker(ticker).bidAsk(config.spreadWindowSeconds() * 1000);
    return bidAsk == null ? BigDecimal.ZERO : bidAsk[1].subtract(bidAsk[0]).divide(TWO);
  }

  /** A market order's price: the trade price, across half the spread, plus slippage. */
  BigDecimal marketPrice(Side side, BigDecimal trade, BigDecimal halfSpread) {
    BigDecimal slip = trade.multiply(config.slippageBps()).divide(BPS);
    BigDecimal p = side == Side.BUY ? trade.add(halfSpread).add(slip) : trade.subtract(halfSpread).subtract(slip);
    return Decimals.rounded(p);
  }

  private BigDecimal fee(BigDecimal price, BigDecimal amount) {
    return Decimals.rounded(price.multiply(amount).multiply(config.feeBps()).divide(BPS));
  }

  private void open(AccountBook book, String account, PendingOrder o, BigDecimal fillPrice, BigDecimal reference,
      Trade t, Events out) {
    ExecutionIntent i = o.intent();
    BigDecimal fee = fee(fillPrice, o.amount());
    book.payFee(fee);
    String positionId = "pos-" + i.getIntentId();
    Position p = new Position(positionId, i.getExchange(), i.getBase(), i.getQuote(),
        o.side() == Side.BUY ? Direction.LONG : Direction.SHORT, o.amount(), fillPrice, i.getStopLoss(),
        i.getTakeProfit(), t.getEventTime().toEpochMilli(), fee, i.getSignalId(), i.getDecisionId(),
        i.getIntentId(), o.verdictId(), i.getConviction(), i.getRawConviction(), i.getRegime());
    book.positions().put(p.ticker(), p);
    out.fill(fill(account, p, o.side(), FillPurpose.OPEN, fillPrice, reference, fee, t));
  }

  private void close(AccountBook book, String account, Position p, FillPurpose purpose, BigDecimal exit,
      BigDecimal reference, Trade t, Events out) {
    boolean isLong = p.direction() == Direction.LONG;
    BigDecimal fee = fee(exit, p.amount());
    book.payFee(fee);
    BigDecimal move = exit.subtract(p.entryPrice());
    BigDecimal gross = (isLong ? move : move.negate()).multiply(p.amount());
    BigDecimal fees = p.entryFee().add(fee);
    BigDecimal net = gross.subtract(fees);
    long time = t.getEventTime().toEpochMilli();
    book.close(gross, net, time);
    book.positions().remove(p.ticker());
    out.fill(fill(account, p, isLong ? Side.SELL : Side.BUY, purpose, exit, reference, fee, t));
    BigDecimal ratio = Precision.divide(isLong ? move : move.negate(), p.entryPrice());
    out.outcome(SignalOutcome.newBuilder()
        .setSignalId(p.signalId()).setExchange(p.exchange()).setBase(p.base()).setQuote(p.quote())
        .setHorizon(Duration.ofMillis(time - p.openTime()).toString())
        .setEntryPrice(p.entryPrice()).setExitPrice(exit).setReturnRatio(Decimals.rounded(ratio))
        .setOutcome(net.signum() > 0 ? OutcomeKind.WIN : net.signum() < 0 ? OutcomeKind.LOSS : OutcomeKind.NEUTRAL)
        .setEventTime(t.getEventTime()).setIngestTime(t.getIngestTime()).setSource(t.getSource())
        .setAccount(account).setPositionId(p.positionId()).setDecisionId(p.decisionId())
        .setIntentId(p.intentId()).setVerdictId(p.verdictId()).setDirection(p.direction())
        .setAmount(p.amount()).setPnl(Decimals.rounded(net)).setFees(fees).setCloseReason(purpose.name())
        .setOpenTime(Instant.ofEpochMilli(p.openTime())).setConviction(p.conviction())
        .setRawConviction(p.rawConviction()).setRegime(p.regime())
        .build());
  }

  private static Fill fill(String account, Position p, Side side, FillPurpose purpose, BigDecimal price, BigDecimal reference,
      BigDecimal fee, Trade t) {
    return Fill.newBuilder()
        .setFillId(p.positionId() + "/" + purpose.name().toLowerCase(java.util.Locale.ROOT))
        .setIntentId(p.intentId()).setExchange(p.exchange()).setBase(p.base()).setQuote(p.quote())
        .setSide(side).setPrice(price).setAmount(p.amount()).setFee(fee).setFeeCurrency(p.quote())
        .setEventTime(t.getEventTime()).setIngestTime(t.getIngestTime()).setSource(t.getSource())
        .setAccount(account).setSignalId(p.signalId()).setVerdictId(p.verdictId()).setPositionId(p.positionId())
        .setPurpose(purpose).setReferencePrice(reference)
        .build();
  }
}
