package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Direction;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The default plan, the same for the same input: enter at the side of the book a market order takes (ask for a
 * long, bid for a short; the close when neither is known), stop {@code stopAtr} ATRs against, target
 * {@code takeProfitAtr} ATRs for, and a size that risks {@code riskBudget x conviction} at the stop, rounded down to
 * {@code amountScale} places.
 */
public final class DeterministicSynthesis implements SynthesisModel {
  private static final long serialVersionUID = 1L;
  public static final String NAME = "deterministic";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TradePlan propose(SynthesisContext in) {
    MarketContext m = in.market();
    AdvisorConfig c = in.config();
    Direction direction = in.signal().getDirection();
    boolean longSide = direction == Direction.LONG;
    BigDecimal entry = longSide ? (m.ask() != null ? m.ask() : m.close()) : (m.bid() != null ? m.bid() : m.close());
    BigDecimal stopDistance = m.atr().multiply(c.stopAtr());
    BigDecimal targetDistance = m.atr().multiply(c.takeProfitAtr());
    BigDecimal stop = Decimals.rounded(longSide ? entry.subtract(stopDistance) : entry.add(stopDistance));
    BigDecimal target = Decimals.rounded(longSide ? entry.add(targetDistance) : entry.subtract(targetDistance));
    BigDecimal risk = entry.subtract(stop).abs();
    BigDecimal amount = risk.signum() == 0 ? BigDecimal.ZERO
        : c.riskBudget().multiply(in.conviction()).divide(risk, c.amountScale(), RoundingMode.DOWN);
    return new TradePlan(direction, Decimals.rounded(entry), stop, target, Decimals.rounded(amount), NAME,
        "stop " + c.stopAtr().toPlainString() + " ATR, target " + c.takeProfitAtr().toPlainString()
            + " ATR, risk " + c.riskBudget().toPlainString() + " x conviction");
  }
}
