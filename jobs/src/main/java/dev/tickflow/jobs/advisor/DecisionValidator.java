package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.StageResult.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 7: the last word before an intent. Blocks when the spread is above {@code maxSpread}, reward/risk below
 * {@code minRewardRisk}, the calibrated conviction below {@code minConviction}, or the size is zero. The limits
 * themselves pass: a spread of exactly 0.4% or a reward/risk of exactly 1.2 is allowed.
 */
public final class DecisionValidator {
  static final String STAGE = "decision_validation";

  private DecisionValidator() {}

  public static StageResult validate(TradePlan plan, MarketContext m, BigDecimal probability, AdvisorConfig c) {
    List<String> problems = new ArrayList<>();
    BigDecimal rewardRisk = plan.rewardRisk();
    if (m.spread() == null || m.spread().compareTo(c.maxSpread()) > 0) {
      problems.add("spread " + text(m.spread()) + " above " + text(c.maxSpread()));
    }
    if (rewardRisk == null || rewardRisk.compareTo(c.minRewardRisk()) < 0) {
      problems.add("reward/risk " + text(rewardRisk) + " below " + text(c.minRewardRisk()));
    }
    if (probability.compareTo(c.minConviction()) < 0) {
      problems.add("conviction " + text(probability) + " below " + text(c.minConviction()));
    }
    if (plan.amount().signum() <= 0) {
      problems.add("size rounds to zero");
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("spread", text(m.spread()));
    inputs.put("max_spread", text(c.maxSpread()));
    inputs.put("reward_risk", text(rewardRisk));
    inputs.put("min_reward_risk", text(c.minRewardRisk()));
    inputs.put("probability", text(probability));
    inputs.put("min_conviction", text(c.minConviction()));
    inputs.put("entry", text(plan.entry()));
    inputs.put("stop_loss", text(plan.stopLoss()));
    inputs.put("take_profit", text(plan.takeProfit()));
    inputs.put("amount", text(plan.amount()));
    return problems.isEmpty()
        ? StageResult.pass(STAGE, "spread, reward/risk " + text(rewardRisk) + " and conviction within limits", inputs)
        : StageResult.block(STAGE, String.join("; ", problems), inputs);
  }
}
