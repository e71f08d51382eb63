package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stage 4: the detector's strength and the independent evaluation combined into a conviction in [0, 1]. Strength
 * is the score over twice the threshold it crossed (a bare crossing is 0.5, twice the threshold or more is 1), or,
 * for a signal without a threshold, the score over the sum of the rule weights.
 */
public final class ConvictionScorer {
  static final String STAGE = "conviction";
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  private ConvictionScorer() {}

  public record Conviction(BigDecimal value, BigDecimal strength, StageResult result) {}

  public static Conviction score(Signal s, BigDecimal evaluation, AdvisorConfig c) {
    BigDecimal scale = s.getThreshold() != null && s.getThreshold().signum() > 0
        ? s.getThreshold().multiply(TWO)
        : s.getRules().stream().map(RuleContribution::getWeight).map(BigDecimal::abs)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal strength = scale.signum() == 0 ? BigDecimal.ZERO : clamp(Precision.divide(s.getScore().abs(), scale));
    BigDecimal conviction = clamp(c.detectorWeight().multiply(strength)
        .add(BigDecimal.ONE.subtract(c.detectorWeight()).multiply(evaluation)), Precision.CONTEXT);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("detector_score", text(s.getScore()));
    inputs.put("threshold", text(s.getThreshold()));
    inputs.put("strength", text(strength));
    inputs.put("evaluation", text(evaluation));
    inputs.put("detector_weight", text(c.detectorWeight()));
    return new Conviction(conviction, strength, StageResult.pass(STAGE, "conviction " + text(conviction)
        + " = " + text(c.detectorWeight()) + " x strength " + text(strength) + " + " 
        + text(BigDecimal.ONE.subtract(c.detectorWeight())) + " x evaluation " + text(evaluation), inputs));
  }

  private static BigDecimal clamp(BigDecimal v, java.math.MathContext mc) {
    return clamp(v.round(mc));
  }

  static BigDecimal clamp(BigDecimal v) {
    return v.signum() < 0 ? BigDecimal.ZERO : v.compareTo(BigDecimal.ONE) > 0 ? BigDecimal.ONE : v;
  }
}
