package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.Market.d;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.event.CalibrationMethod;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.FeedHealth;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each advisor stage on its own, at and around its limits. */
class AdvisorStagesTest {

  private static final AdvisorConfig C = AdvisorConfig.defaults();
  private static final long T = 1_000_000L;

  /** A healthy, liquid market with the given spread (mid 1). */
  private static MarketContext market(String spread, long tradeAge, FeedHealth health) {
    BigDecimal s = new BigDecimal(spread);
    BigDecimal half = s.divide(BigDecimal.valueOf(2));
    return new MarketContext(T, "1m", d("1"), d("0.01"), d("0.99"), d("55"), d("120"), d("100"), 30, health,
        T - tradeAge, BigDecimal.ONE.subtract(half), BigDecimal.ONE.add(half), s, "trades", d("0.0001"),
        "range_low_vol");
  }

  private static TradePlan plan(String entry, String stop, String target) {
    return new TradePlan(Direction.LONG, d(entry), d(stop), d(target), d("5"), "test", "");
  }

  @Test
  void decisionValidationPassesASpreadOfExactlyTheLimitAndBlocksJustAbove() {
    TradePlan ok = plan("1", "0.9", "1.2");
    assertThat(DecisionValidator.validate(ok, market("0.004", 0, FeedHealth.HEALTHY), d("0.6"), C).passed()).isTrue();
    StageResult wide = DecisionValidator.validate(ok, market("0.0040001", 0, FeedHealth.HEALTHY), d("0.6"), C);
    assertThat(wide.passed()).isFalse();
    assertThat(wide.reason()).contains("spread 0.0040001 above 0.004");
  }

  @Test
  void decisionValidationPassesARewardRiskOfExactly1point2AndBlocksJustBelow() {
    MarketContext m = market("0.001", 0, FeedHealth.HEALTHY);
    assertThat(DecisionValidator.validate(plan("1", "0.9", "1.12"), m, d("0.6"), C).passed()).isTrue();
    StageResult low = DecisionValidator.validate(plan("1", "0.9", "1.119"), m, d("0.6"), C);
    assertThat(low.passed()).isFalse();
    assertThat(low.reason()).contains("reward/risk 1.19 below 1.2");
    assertThat(low.inputs()).containsEntry("reward_risk", "1.19");
  }

  @Test
  void decisionValidationBlocksLowConviction() {
    StageResult r = DecisionValidator.validate(plan("1", "0.9", "1.2"), market("0.001", 0, FeedHealth.HEALTHY),
        d("0.499"), C);
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).isEqualTo("conviction 0.499 below 0.5");
  }

  @Test
  void qualityGateBlocksStaleDataDegradedFeedsAndUnknownSpreads() {
    assertThat(MarketQualityGate.judge(market("0.001", 600_000, FeedHealth.HEALTHY), C).passed()).isTrue();
    StageResult stale = MarketQualityGate.judge(market("0.001", 600_001, FeedHealth.HEALTHY), C);
    assertThat(stale.passed()).isFalse();
    assertThat(stale.reason()).contains("stale data");
    StageResult degraded = MarketQualityGate.judge(market("0.001", 0, FeedHealth.DEGRADED), C);
    assertThat(degraded.reason()).isEqualTo("feed degraded during the bar");
    MarketContext noSpread = new MarketContext(T, "1m", d("1"), d("0.01"), null, null, d("1"), null, 3,
        FeedHealth.UNKNOWN, T, null, null, null, "none", null, "unknown");
    assertThat(MarketQualityGate.judge(noSpread, C).reason()).startsWith("spread unknown");
    StageResult wide = MarketQualityGate.judge(market("0.02", 0, FeedHealth.HEALTHY), C);
    assertThat(wide.reason()).contains("spread 0.02 above 0.01");
  }

  @Test
  void independentEvaluationScoresTrendRoomAndParticipation() {
    MarketContext m = market("0.001", 0, FeedHealth.HEALTHY); // close 1 > sma 0.99, rsi 55, volume 120 >= 100
    assertThat(IndependentEvaluation.evaluate(Direction.LONG, m).score()).isEqualByComparingTo("1");
    // short: trend disagrees (0), rsi 55 > 30 leaves room (0.3), volume (0.3)
    assertThat(IndependentEvaluation.evaluate(Direction.SHORT, m).score()).isEqualByComparingTo("0.6");
  }

  @Test
  void convictionIsHalfStrengthAtABareCrossing() {
    var signal = Market.signal(5, Direction.LONG, "3", "3", "1");
    var c = ConvictionScorer.score(signal, d("1"), C);
    assertThat(c.strength()).isEqualByComparingTo("0.5");
    assertThat(c.value()).isEqualByComparingTo("0.7"); // 0.6 x 0.5 + 0.4 x 1
    var strong = ConvictionScorer.score(Market.signal(5, Direction.LONG, "9", "3", "1"), d("0"), C);
    assertThat(strong.strength()).isEqualByComparingTo("1");
  }

  @Test
  void calibrationIsTheIdentityUntilARegimeHasEnoughOutcomesAndSaysSo() {
    var none = ConvictionCalibrator.calibrate(d("0.7"), "trend_low_vol", Map.of(), C);
    assertThat(none.probability()).isEqualByComparingTo("0.7");
    assertThat(none.result().reason()).contains("identity").contains("no model fitted for regime trend_low_vol");
    CalibrationModel few = CalibrationModel.newBuilder().setRegime("trend_low_vol").setMethod(CalibrationMethod.PLATT)
        .setPlattA("-4").setPlattB("2").setSamples(5).setVersion(1).setEventTime(Instant.EPOCH)
        .setIngestTime(Instant.EPOCH).build();
    assertThat(ConvictionCalibrator.calibrate(d("0.7"), "trend_low_vol", Map.of("trend_low_vol", few), C)
        .result().reason()).contains("5 outcomes, fewer than 30");
    CalibrationModel enough = CalibrationModel.newBuilder(few).setSamples(40).build();
    var platt = ConvictionCalibrator.calibrate(d("0.7"), "trend_low_vol", Map.of("trend_low_vol", enough), C);
    // 1 / (1 + exp(-4 x 0.7 + 2)) = 1 / (1 + exp(-0.8)) = 0.689974...
    assertThat(platt.probability()).isEqualByComparingTo("0.689974");
    assertThat(platt.method()).isEqualTo("platt@1");
  }

  @Test
  void aModelForAnyRegimeAppliesWhereNoRegimeHasItsOwn() {
    CalibrationModel iso = CalibrationModel.newBuilder().setRegime("*").setMethod(CalibrationMethod.ISOTONIC)
        .setIsotonicX(List.of("0.2", "0.6")).setIsotonicY(List.of("0.1", "0.5")).setSamples(100).setVersion(2)
        .setEventTime(Instant.EPOCH).setIngestTime(Instant.EPOCH).build();
    var c = ConvictionCalibrator.calibrate(d("0.4"), "range_high_vol", Map.of("*", iso), C);
    assertThat(c.probability()).isEqualByComparingTo("0.3"); // halfway between the knots
    assertThat(ConvictionCalibrator.calibrate(d("0.9"), "x", Map.of("*", iso), C).probability())
        .isEqualByComparingTo("0.5");
  }

  @Test
  void isotonicFitPoolsAdjacentViolators() {
    List<CalibrationFitter.Observation> data = List.of(
        new CalibrationFitter.Observation(0.1, false), new CalibrationFitter.Observation(0.2, true),
        new CalibrationFitter.Observation(0.3, false), new CalibrationFitter.Observation(0.4, true),
        new CalibrationFitter.Observation(0.5, true));
    CalibrationFitter.Isotonic fit = CalibrationFitter.fitIsotonic(data);
    // 0.1 -> 0; 0.2 and 0.3 violate (1 then 0) and pool to 0.5; 0.4, 0.5 -> 1
    assertThat(fit.x()).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
    assertThat(fit.y()).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0);
  }

  @Test
  void plattFitMakesProbabilityRiseWithConviction() {
    List<CalibrationFitter.Observation> data = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      double x = i / 100.0;
      data.add(new CalibrationFitter.Observation(x, (i * 7919) % 100 < i)); // win more often as x grows
    }
    CalibrationFitter.Platt p = CalibrationFitter.fitPlatt(data);
    assertThat(p.a()).isNegative(); // p = 1 / (1 + exp(a x + b)) increases with x
    CalibrationModel model = CalibrationFitter.model("*", CalibrationMethod.PLATT, data, 30, Instant.EPOCH);
    BigDecimal low = ConvictionCalibrator.apply(model, d("0.1"));
    BigDecimal high = ConvictionCalibrator.apply(model, d("0.9"));
    assertThat(high).isGreaterThan(low);
    assertThat(CalibrationFitter.model("*", CalibrationMethod.PLATT, data.subList(0, 10), 30, Instant.EPOCH)
        .getMethod()).isEqualTo(CalibrationMethod.IDENTITY);
  }
}
