package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.AdvisorAction;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.OrderType;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Signal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The advisor's eight stages over one signal, as a plain function: market context, market quality gate,
 * independent evaluation, conviction, calibration, synthesis, decision validation, execution intent. Every stage
 * that runs leaves an audit event with its inputs and result; the first stage that blocks ends the run with a
 * REJECT decision naming it. Ids derive from the signal id, so a replay produces the same ids.
 */
public final class AdvisorPipeline {

  private final AdvisorConfig config;
  private final SynthesisModel synthesis;
  private final DeterministicSynthesis fallback = new DeterministicSynthesis();

  public AdvisorPipeline(AdvisorConfig config, SynthesisModel synthesis) {
    this.config = config;
    this.synthesis = synthesis;
  }

  /** A decision, the intent if it passed, and the audit trail. */
  public record Outcome(AdvisorDecision decision, ExecutionIntent intent, List<AuditEvent> audit) {}

  public Outcome run(Signal s, MarketContext m, Map<String, CalibrationModel> models) {
    Run run = new Run(s);
    run.decision.setRegime(m.regime());
    // 1. market context
    StageResult context = m.close() == null || m.atr() == null || m.atr().signum() <= 0
        ? StageResult.block("market_context", "not enough market data: " + (m.close() == null ? "no close"
            : "ATR(" + config.atrPeriod() + ") needs " + config.atrPeriod() + " bars at " + m.timeframe() + ", have "
                + m.bars()), m.inputs())
        : StageResult.pass("market_context", "close " + StageResult.text(m.close()) + ", ATR "
            + StageResult.text(m.atr()) + ", regime " + m.regime(), m.inputs());
    if (s.getDirection() == Direction.FLAT) {
      context = StageResult.block("market_context", "a FLAT signal asks for no position", m.inputs());
    }
    if (!run.stage(context)) {
      return run.reject();
    }
    // 2. market quality
    if (!run.stage(MarketQualityGate.judge(m, config))) {
      return run.reject();
    }
    // 3. independent evaluation
    IndependentEvaluation.Evaluation evaluation = IndependentEvaluation.evaluate(s.getDirection(), m);
    run.stage(evaluation.result());
    // 4. conviction
    ConvictionScorer.Conviction conviction = ConvictionScorer.score(s, evaluation.score(), config);
    run.stage(conviction.result());
    run.decision.setConviction(Decimals.rounded(conviction.value()));
    // 5. calibration
    ConvictionCalibrator.Calibrated calibrated =
        ConvictionCalibrator.calibrate(conviction.value(), m.regime(), models, config);
    run.stage(calibrated.result());
    BigDecimal probability = Decimals.rounded(calibrated.probability());
    run.decision.setConfidence(probability).setCalibration(calibrated.method());
    // 6. synthesis
    SynthesisContext input = new SynthesisContext(s, m, probability, config);
    TradePlan plan = synthesize(input, run);
    run.decision.setEntryPrice(plan.entry()).setStopLoss(plan.stopLoss()).setTakeProfit(plan.takeProfit())
        .setAmount(plan.amount()).setSynthesis(plan.model());
    // 7. decision validation
    if (!run.stage(DecisionValidator.validate(plan, m, probability, config))) {
      return run.reject();
    }
    // 8. execution intent
    String intentId = "int-" + s.getSignalId();
    ExecutionIntent intent = ExecutionIntent.newBuilder()
        .setIntentId(intentId)
        .setDecisionId(run.decision.getDecisionId())
        .setExchange(s.getExchange()).setBase(s.getBase()).setQuote(s.getQuote())
        .setSide(plan.direction() == Direction.LONG ? Side.BUY : Side.SELL)
        .setOrderType(OrderType.MARKET)
        .setAmount(plan.amount())
        .setLimitPrice(null)
        .setEventTime(s.getEventTime()).setIngestTime(s.getIngestTime()).setSource(s.getSource())
        .setAccount(config.account()).setSignalId(s.getSignalId()).setReduceOnly(false)
        .setReferencePrice(plan.entry()).setStopLoss(plan.stopLoss()).setTakeProfit(plan.takeProfit())
        .setConviction(probability).setRawConviction(Decimals.rounded(conviction.value()))
        .setRegime(m.regime()).setTimeframe(s.getTimeframe())
        .build();
    run.stage(StageResult.pass("execution_intent", intent.getSide() + " " + StageResult.text(plan.amount()) + " at "
        + StageResult.text(plan.entry()) + " for " + config.account(), Map.of(
            "intent_id", intentId, "side", intent.getSide().name(), "amount", StageResult.text(plan.amount()),
            "account", config.account())));
    run.decision.setAction(plan.direction() == Direction.LONG ? AdvisorAction.ENTER_LONG : AdvisorAction.ENTER_SHORT)
        .setIntentId(intentId);
    return new Outcome(run.decision.build(), intent, run.audit);
  }

  private TradePlan synthesize(SynthesisContext input, Run run) {
    TradePlan fallbackPlan = fallback.propose(input);
    if (synthesis == null || synthesis instanceof DeterministicSynthesis) {
      run.stage(StageResult.pass("synthesis", "deterministic plan: " + fallbackPlan.reasoning(), planInputs(fallbackPlan)));
      return fallbackPlan;
    }
    List<String> problems;
    TradePlan proposed = null;
    try {
      proposed = synthesis.propose(input);
      problems = SynthesisValidator.problems(proposed, input);
    } catch (Exception e) {
      problems = List.of("model failed: " + e);
    }
    if (problems.isEmpty()) {
      run.stage(StageResult.pass("synthesis", synthesis.name() + ": " + proposed.reasoning(), planInputs(proposed)));
      return proposed;
    }
    run.audit.add(run.audit("synthesis", "synthesis_rejected", synthesis.name() + " rejected: "
        + String.join("; ", problems) + "; using the deterministic plan",
        proposed == null ? Map.of("model", synthesis.name()) : planInputs(proposed)));
    run.stage(StageResult.pass("synthesis", "fallback to the deterministic plan (" + synthesis.name()
        + " rejected): " + fallbackPlan.reasoning(), planInputs(fallbackPlan)));
    return fallbackPlan;
  }

  private static Map<String, String> planInputs(TradePlan p) {
    Map<String, String> m = new TreeMap<>();
    m.put("model", p.model());
    m.put("direction", String.valueOf(p.direction()));
    m.put("entry", StageResult.text(p.entry()));
    m.put("stop_loss", StageResult.text(p.stopLoss()));
    m.put("take_profit", StageResult.text(p.takeProfit()));
    m.put("amount", StageResult.text(p.amount()));
    return m;
  }

  /** The decision being built and the audit trail of one signal. */
  private final class Run {
    final Signal signal;
    final AdvisorDecision.Builder decision;
    final List<AuditEvent> audit = new ArrayList<>();

    Run(Signal s) {
      signal = s;
      decision = AdvisorDecision.newBuilder()
          .setDecisionId("dec-" + s.getSignalId()).setSignalId(s.getSignalId())
          .setExchange(s.getExchange()).setBase(s.getBase()).setQuote(s.getQuote())
          .setAction(AdvisorAction.REJECT).setConfidence(Decimals.rounded(BigDecimal.ZERO))
          .setStages(new ArrayList<>())
          .setEventTime(s.getEventTime()).setIngestTime(s.getIngestTime()).setSource(s.getSource())
          .setDetectorId(s.getDetectorId()).setTimeframe(s.getTimeframe()).setAccount(config.account());
    }

    boolean stage(StageResult r) {
      decision.getStages().add(r.toOutcome());
      audit.add(audit(r.stage(), r.passed() ? "passed" : "blocked", r.reason(), r.inputs()));
      return r.passed();
    }

    AuditEvent audit(String stage, String kind, String outcome, Map<String, String> inputs) {
      return AuditEvent.newBuilder()
          .setAuditId(signal.getSignalId() + "/advisor/" + stage + (kind.equals("synthesis_rejected") ? "/rejected" : ""))
          .setTraceId(signal.getSignalId()).setComponent("advisor").setStage(stage).setKind(kind)
          .setExchange(signal.getExchange()).setBase(signal.getBase()).setQuote(signal.getQuote())
          .setInputs(new java.util.LinkedHashMap<>(new TreeMap<>(inputs))).setOutcome(outcome)
          .setEventTime(signal.getEventTime()).setIngestTime(signal.getIngestTime())
          .build();
    }

    Outcome reject() {
      return new Outcome(decision.build(), null, audit);
    }
  }
}
