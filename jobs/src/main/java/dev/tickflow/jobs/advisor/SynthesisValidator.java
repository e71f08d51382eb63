package dev.tickflow.jobs.advisor;

import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.schemas.event.Direction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a proposed plan for consistency before the advisor uses it: the signal's direction, every price and the
 * size positive, the stop on the losing side of the entry and the target on the winning side, the entry near the
 * market. An external model's answer that fails is rejected (a {@code synthesis_rejected} audit event) and the
 * deterministic plan is used instead.
 */
public final class SynthesisValidator {

  private SynthesisValidator() {}

  /** What is wrong with the plan; empty when it is consistent. */
  public static List<String> problems(TradePlan plan, SynthesisContext in) {
    List<String> problems = new ArrayList<>();
    if (plan == null) {
      return List.of("no plan");
    }
    Direction expected = in.signal().getDirection();
    if (plan.direction() != expected) {
      problems.add("direction " + plan.direction() + " contradicts the " + expected + " signal");
    }
    if (plan.entry() == null || plan.stopLoss() == null || plan.takeProfit() == null || plan.amount() == null) {
      problems.add("missing entry, stop-loss, take-profit or amount");
      return problems;
    }
    if (plan.entry().signum() <= 0 || plan.stopLoss().signum() <= 0 || plan.takeProfit().signum() <= 0) {
      problems.add("prices must be positive");
    }
    if (plan.amount().signum() <= 0) {
      problems.add("amount must be positive");
    }
    boolean longSide = expected == Direction.LONG;
    if (longSide ? plan.stopLoss().compareTo(plan.entry()) >= 0 : plan.stopLoss().compareTo(plan.entry()) <= 0) {
      problems.add("stop-loss " + plan.stopLoss().toPlainString() + " is not on the losing side of entry "
          + plan.entry().toPlainString());
    }
    if (longSide ? plan.takeProfit().compareTo(plan.entry()) <= 0
        : plan.takeProfit().compareTo(plan.entry()) >= 0) {
      problems.add("take-profit " + plan.takeProfit().toPlainString() + " is not on the winning side of entry "
          + plan.entry().toPlainString());
    }
    BigDecimal reference = in.market().close();
    if (reference != null && reference.signum() > 0 && Precision.divide(plan.entry().subtract(reference).abs(),
        reference).compareTo(in.config().maxEntryDeviation()) > 0) {
      problems.add("entry " + plan.entry().toPlainString() + " is more than "
          + in.config().maxEntryDeviation().toPlainString() + " away from the market " + reference.toPlainString());
    }
    return problems;
  }
}
