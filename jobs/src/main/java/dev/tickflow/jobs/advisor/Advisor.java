package dev.tickflow.jobs.advisor;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advisor, keyed by ticker: every signal goes through the {@link AdvisorPipeline} against the market as of the
 * signal's time. Inputs are put in event-time order first (held until the watermark passes them, then applied
 * market data before signals within a millisecond), so the context a signal sees is the same however the sources
 * interleaved: a replay decides the same. Calibration models come broadcast from {@code advisor.calibration}; a
 * newer version of a regime's model replaces the older.
 *
 * <p>Main output: decisions ({@code signals.qualified}); side outputs: {@link #INTENTS}, {@link #AUDIT}, and
 * {@link DeadLetters#TAG} for a signal the pipeline failed on (the others go on).
 */
public final class Advisor
    extends KeyedBroadcastProcessFunction<String, AdvisorInput, CalibrationModel, AdvisorDecision> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(Advisor.class);

  public static final OutputTag<ExecutionIntent> INTENTS =
      new OutputTag<>("advisor-intents", FlinkTypes.of(ExecutionIntent.class));
  public static final OutputTag<AuditEvent> AUDIT =
      new OutputTag<>("advisor-audit", FlinkTypes.of(AuditEvent.class));
  public static final MapStateDescriptor<String, CalibrationModel> CALIBRATION = new MapStateDescriptor<>(
      "advisor-calibration", Types.STRING, FlinkTypes.of(CalibrationModel.class));

  // A typed value, not bytes: every trade updates it, and on the heap backend a typed value is read and written
  // without serializing (only checkpoints do); a benchmark measured the bytes at 80x the cost of the stages.
  private static final ValueStateDescriptor<MarketView> VIEW =
      new ValueStateDescriptor<>("advisor-market-view", FlinkTypes.of(MarketView.class));
  private static final MapStateDescriptor<Long, List<AdvisorInput>> PENDING = new MapStateDescriptor<>(
      "advisor-pending-inputs", Types.LONG, Types.LIST(FlinkTypes.of(AdvisorInput.class)));

  private final AdvisorConfig config;
  private final SynthesisModel synthesis;

  private transient ValueState<MarketView> view;
  private transient MapState<Long, List<AdvisorInput>> pending;
  private transient AdvisorPipeline pipeline;
  private transient Counter decisions;
  private transient Counter intents;
  private transient Counter rejected;
  private transient Counter synthesisRejected;
  private transient Counter failed;

  public Advisor(AdvisorConfig config, SynthesisModel synthesis) {
    this.config = config;
    this.synthesis = synthesis == null ? new DeterministicSynthesis() : synthesis;
  }

  @Override
  public void open(OpenContext openContext) {
    view = getRuntimeContext().getState(VIEW);
    pending = getRuntimeContext().getMapState(PENDING);
    synthesis.open();
    pipeline = new AdvisorPipeline(config, synthesis);
    decisions = getRuntimeContext().getMetricGroup().counter("advisorDecisions");
    intents = getRuntimeContext().getMetricGroup().counter("advisorIntents");
    rejected = getRuntimeContext().getMetricGroup().counter("advisorRejections");
    synthesisRejected = getRuntimeContext().getMetricGroup().counter("advisorSynthesisRejected");
    failed = getRuntimeContext().getMetricGroup().counter("advisorFailures");
  }

  @Override
  public void close() {
    if (synthesis != null) {
      synthesis.close();
    }
  }

  @Override
  public void processElement(AdvisorInput input, ReadOnlyContext ctx, Collector<AdvisorDecision> out)
      throws Exception {
    long time = input.time();
    if (time <= ctx.timerService().currentWatermark()) {
      // behind the watermark (a late trade, or a signal whose source idled): nothing earlier is still to come
      apply(List.of(input), ctx.getBroadcastState(CALIBRATION), ctx, out);
      return;
    }
    List<AdvisorInput> due = pending.get(time);
    List<AdvisorInput> list = due == null ? new ArrayList<>() : new ArrayList<>(due);
    list.add(input);
    pending.put(time, list);
    ctx.timerService().registerEventTimeTimer(time);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdvisorDecision> out) throws Exception {
    List<AdvisorInput> due = pending.get(timestamp);
    if (due == null) {
      return;
    }
    pending.remove(timestamp);
    List<AdvisorInput> ordered = new ArrayList<>(due);
    ordered.sort(Comparator.comparingInt(AdvisorInput::rank)); // stable: arrival order within a kind
    apply(ordered, ctx.getBroadcastState(CALIBRATION), ctx, out);
  }

  private void apply(List<AdvisorInput> inputs, ReadOnlyBroadcastState<String, CalibrationModel> calibration,
      ReadOnlyContext ctx, Collector<AdvisorDecision> out) throws Exception {
    MarketView market = view.value();
    if (market == null) {
      market = new MarketView(config.atrPeriod());
    }
    for (AdvisorInput in : inputs) {
      if (in.candle != null) {
        market.onCandle(in.candle);
      } else if (in.quote != null) {
        market.onQuote(in.quote);
      } else if (in.trade != null) {
        market.onTrade(in.trade);
      } else {
        Map<String, CalibrationModel> models = new HashMap<>();
        for (Map.Entry<String, CalibrationModel> e : calibration.immutableEntries()) {
          models.put(e.getKey(), e.getValue());
        }
        AdvisorPipeline.Outcome outcome;
        try {
          MarketContext context = market.contextAt(in.time(), in.signal.getTimeframe(), config);
          outcome = pipeline.run(in.signal, context, models);
        } catch (RuntimeException e) {
          // one signal the pipeline cannot handle (a broken calibration model, say) must not stop the others
          failed.inc();
          LOG.warn("advisor failed on signal {}: {}", in.signal.getSignalId(), e.toString());
          ctx.output(DeadLetters.TAG, DeadLetters.of(Signal.class, in.signal, in.ticker(), in.signal.getSource(),
              in.signal.getEventTime(), in.signal.getIngestTime(), "ADVISOR_FAILED",
              "the advisor could not decide signal " + in.signal.getSignalId() + ": " + e, "advisor"));
          continue;
        }
        decisions.inc();
        out.collect(outcome.decision());
        for (AuditEvent event : outcome.audit()) {
          if (event.getKind().equals("synthesis_rejected")) {
            synthesisRejected.inc();
          }
          ctx.output(AUDIT, event);
        }
        if (outcome.intent() != null) {
          intents.inc();
          ctx.output(INTENTS, outcome.intent());
        } else {
          rejected.inc();
        }
      }
    }
    view.update(market);
  }

  @Override
  public void processBroadcastElement(CalibrationModel model, Context ctx, Collector<AdvisorDecision> out)
      throws Exception {
    BroadcastState<String, CalibrationModel> models = ctx.getBroadcastState(CALIBRATION);
    CalibrationModel current = models.get(model.getRegime());
    if (current == null || model.getVersion() > current.getVersion()) {
      models.put(model.getRegime(), model);
      LOG.info("calibration for regime {}: {} over {} outcomes (version {})", model.getRegime(), model.getMethod(),
          model.getSamples(), model.getVersion());
    }
  }
}
