package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.Market.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tickflow.schemas.event.AdvisorAction;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationMethod;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.StageOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** The advisor operator: event-time ordering, the full pipeline, calibration broadcast, external synthesis. */
class AdvisorTest {

  private static final int BARS = 16;

  static KeyedBroadcastOperatorTestHarness<String, AdvisorInput, CalibrationModel, AdvisorDecision> harness(
      Advisor advisor) throws Exception {
    var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(advisor, AdvisorInput::ticker,
        Types.STRING, Advisor.CALIBRATION);
    h.open();
    h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    return h;
  }

  /** Rising bars 0..15 (range 0.02), two-sided trades each minute, a LONG signal at the close of bar 15. */
  static List<AdvisorInput> scenario() {
    List<AdvisorInput> inputs = new ArrayList<>();
    for (int m = 0; m < BARS; m++) {
      String close = String.format("1.%03d", m);
      inputs.add(AdvisorInput.of(Market.bar(m, close, "0.01", "100")));
      long t = 60_000L * m + 30_000;
      inputs.add(AdvisorInput.of(Market.trade(t, String.format("1.%03d5", m), Side.BUY)));
      inputs.add(AdvisorInput.of(Market.trade(t + 1, String.format("1.%03d", m), Side.SELL)));
    }
    inputs.add(AdvisorInput.of(Market.signal(BARS, Direction.LONG, "6", "3", "1.015")));
    // after the signal: a wild trade that must not leak into its context
    inputs.add(AdvisorInput.of(Market.trade(60_000L * BARS + 5_000, "1.5", Side.BUY)));
    return inputs;
  }

  private static void feed(KeyedBroadcastOperatorTestHarness<String, AdvisorInput, CalibrationModel,
      AdvisorDecision> h, List<AdvisorInput> inputs) throws Exception {
    for (AdvisorInput in : inputs) {
      h.processElement(in, in.time());
    }
    h.processWatermark(new Watermark(Long.MAX_VALUE));
  }

  @Test
  void aSignalGoesThroughEveryStageToAnIntentWithAuditForEachStage() throws Exception {
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      feed(h, scenario());
      AdvisorDecision d = h.extractOutputValues().get(0);
      assertThat(d.getAction()).isEqualTo(AdvisorAction.ENTER_LONG);
      assertThat(d.getStages()).extracting(StageOutcome::getStage).containsExactly("market_context",
          "market_quality", "independent_evaluation", "conviction", "calibration", "synthesis",
          "decision_validation", "execution_intent");
      assertThat(d.getStages()).allMatch(StageOutcome::getPassed);
      assertThat(d.getCalibration()).isEqualTo("identity");
      // entry at the ask: the last taker buy before the signal, not the 1.5 trade after it
      assertThat(d.getEntryPrice()).isEqualByComparingTo("1.0155");
      List<ExecutionIntent> intents = new ArrayList<>(h.getSideOutput(Advisor.INTENTS)).stream()
          .map(r -> r.getValue()).toList();
      assertThat(intents).singleElement().satisfies(i -> {
        assertThat(i.getSide()).isEqualTo(Side.BUY);
        assertThat(i.getIntentId()).isEqualTo(d.getIntentId());
        assertThat(i.getSignalId()).isEqualTo("sig-16-LONG");
        assertThat(i.getAccount()).isEqualTo("paper");
        assertThat(i.getStopLoss()).isLessThan(i.getReferencePrice());
        assertThat(i.getTakeProfit()).isGreaterThan(i.getReferencePrice());
      });
      List<AuditEvent> audit = h.getSideOutput(Advisor.AUDIT).stream().map(r -> r.getValue()).toList();
      assertThat(audit).hasSize(8).allMatch(a -> a.getTraceId().equals("sig-16-LONG"));
      assertThat(audit.get(0).getInputs()).containsKeys("atr", "spread", "regime", "last_trade_age_ms");
      assertThat(audit.get(1).getInputs().get("spread_source")).isEqualTo("trades");
    }
  }

  @Test
  void theDecisionIsTheSameWhateverOrderTheInputsArriveIn() throws Exception {
    AdvisorDecision inOrder;
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      feed(h, scenario());
      inOrder = h.extractOutputValues().get(0);
    }
    for (long seed = 1; seed <= 5; seed++) {
      List<AdvisorInput> shuffled = scenario();
      Collections.shuffle(shuffled, new Random(seed));
      try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
        feed(h, shuffled);
        assertThat(h.extractOutputValues()).as("seed " + seed).containsExactly(inOrder);
      }
    }
  }

  @Test
  void aSignalWithoutEnoughBarsIsRejectedAtTheContextStageAndSaysWhy() throws Exception {
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      feed(h, List.of(AdvisorInput.of(Market.bar(0, "1", "0.01", "1")),
          AdvisorInput.of(Market.signal(1, Direction.LONG, "6", "3", "1"))));
      AdvisorDecision d = h.extractOutputValues().get(0);
      assertThat(d.getAction()).isEqualTo(AdvisorAction.REJECT);
      assertThat(d.getStages()).singleElement().satisfies(s -> {
        assertThat(s.getPassed()).isFalse();
        assertThat(s.getReason()).contains("ATR(14) needs 14 bars at 1m, have 1");
      });
      assertThat(h.getSideOutput(Advisor.INTENTS)).isNullOrEmpty();
    }
  }

  @Test
  void aBroadcastCalibrationReplacesTheIdentityAndAnOlderVersionIsIgnored() throws Exception {
    CalibrationModel v2 = CalibrationModel.newBuilder().setRegime("*").setMethod(CalibrationMethod.ISOTONIC)
        .setIsotonicX(List.of("0", "1")).setIsotonicY(List.of("0.5", "0.9")).setSamples(200).setVersion(2)
        .setEventTime(Instant.EPOCH).setIngestTime(Instant.EPOCH).build();
    CalibrationModel v1 = CalibrationModel.newBuilder(v2).setVersion(1).setIsotonicY(List.of("0", "0")).build();
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      h.processBroadcastElement(v2, 0);
      h.processBroadcastElement(v1, 1);
      feed(h, scenario());
      AdvisorDecision d = h.extractOutputValues().get(0);
      assertThat(d.getCalibration()).isEqualTo("isotonic@2");
      // 16 bars: no SMA(20) or volume average yet, RSI 100 is stretched, so the evaluation is 0 and conviction
      // 0.6 x strength 1 = 0.6, which the isotonic model maps to 0.5 + 0.4 x 0.6
      assertThat(d.getConviction()).isEqualByComparingTo("0.6");
      assertThat(d.getConfidence()).isEqualByComparingTo("0.74");
    }
  }

  @Test
  void anExternalModelsConsistentPlanIsUsedAndAnInconsistentOneFallsBackWithAnAuditEvent() throws Exception {
    AtomicReference<String> answer = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/plan", exchange -> {
      byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/plan";
    try {
      answer.set("{\"direction\": \"LONG\", \"entry\": \"1.016\", \"stopLoss\": 1.0, \"takeProfit\": \"1.05\","
          + " \"amount\": \"3\", \"reasoning\": \"breakout with volume\"}");
      AdvisorDecision used = decide(new HttpSynthesisModel(url, Duration.ofSeconds(5)));
      assertThat(used.getSynthesis()).isEqualTo("http:" + url);
      assertThat(used.getEntryPrice()).isEqualByComparingTo("1.016");
      assertThat(used.getAmount()).isEqualByComparingTo("3");

      // a stop above a long entry is inconsistent
      answer.set("{\"direction\": \"LONG\", \"entry\": \"1.016\", \"stopLoss\": \"1.02\", \"takeProfit\": \"1.05\","
          + " \"amount\": \"3\"}");
      List<AuditEvent> audit = new ArrayList<>();
      AdvisorDecision fallback = decide(new HttpSynthesisModel(url, Duration.ofSeconds(5)), audit);
      assertThat(fallback.getSynthesis()).isEqualTo("deterministic");
      assertThat(fallback.getAction()).isEqualTo(AdvisorAction.ENTER_LONG);
      assertThat(audit).filteredOn(a -> a.getKind().equals("synthesis_rejected")).singleElement()
          .satisfies(a -> assertThat(a.getOutcome()).contains("stop-loss 1.02").contains("losing side"));
    } finally {
      server.stop(0);
    }
    List<AuditEvent> audit = new ArrayList<>();
    AdvisorDecision unreachable = decide(new HttpSynthesisModel(url, Duration.ofSeconds(2)), audit);
    assertThat(unreachable.getSynthesis()).isEqualTo("deterministic");
    assertThat(audit).filteredOn(a -> a.getKind().equals("synthesis_rejected")).singleElement()
        .satisfies(a -> assertThat(a.getOutcome()).contains("model failed"));
  }

  private static AdvisorDecision decide(SynthesisModel model) throws Exception {
    return decide(model, new ArrayList<>());
  }

  private static AdvisorDecision decide(SynthesisModel model, List<AuditEvent> audit) throws Exception {
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), model))) {
      feed(h, scenario());
      h.getSideOutput(Advisor.AUDIT).forEach(r -> audit.add(r.getValue()));
      return h.extractOutputValues().get(0);
    } catch (IOException e) {
      throw e;
    }
  }

  @Test
  void aSignalTheAdvisorFailsOnGoesToTheDeadLettersAndTheNextIsDecided() throws Exception {
    CalibrationModel broken = CalibrationModel.newBuilder().setRegime("*").setMethod(CalibrationMethod.ISOTONIC)
        .setIsotonicX(List.of("0", "zero point five")).setIsotonicY(List.of("0.5", "0.9")).setSamples(200)
        .setVersion(1).setEventTime(Instant.EPOCH).setIngestTime(Instant.EPOCH).build();
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      h.processBroadcastElement(broken, 0);
      List<AdvisorInput> inputs = scenario();
      inputs.remove(inputs.size() - 1); // without the wild trade after the signal, so the next one sees calm
      for (AdvisorInput in : inputs) {
        h.processElement(in, in.time());
      }
      h.processWatermark(new Watermark(at(BARS).toEpochMilli()));
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getSideOutput(dev.tickflow.jobs.io.DeadLetters.TAG)).singleElement().satisfies(r -> {
        assertThat(r.getValue().getErrorType()).isEqualTo("ADVISOR_FAILED");
        assertThat(r.getValue().getReason()).contains("sig-16-LONG").contains("NumberFormatException");
      });
      // a fixed model comes; the next signal is decided as usual
      h.processBroadcastElement(CalibrationModel.newBuilder(broken).setVersion(2)
          .setIsotonicX(List.of("0", "1")).build(), 1);
      for (AdvisorInput in : List.of(AdvisorInput.of(Market.bar(BARS, "1.016", "0.01", "100")),
          AdvisorInput.of(Market.signal(BARS + 1, Direction.LONG, "6", "3", "1.016")))) {
        h.processElement(in, in.time());
      }
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(h.extractOutputValues()).singleElement()
          .satisfies(d -> assertThat(d.getCalibration()).isEqualTo("isotonic@2"));
    }
  }

  @Test
  void theMarketViewSurvivesACheckpointAndRestore() throws Exception {
    AdvisorDecision uninterrupted;
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      feed(h, scenario());
      uninterrupted = h.extractOutputValues().get(0);
    }
    List<AdvisorInput> inputs = scenario();
    org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
    try (var h = harness(new Advisor(AdvisorConfig.defaults(), null))) {
      for (AdvisorInput in : inputs.subList(0, 30)) {
        h.processElement(in, in.time());
      }
      h.processWatermark(new Watermark(inputs.get(29).time()));
      snapshot = h.snapshot(1L, 1L);
    }
    var restored = new KeyedBroadcastOperatorTestHarness<String, AdvisorInput, CalibrationModel, AdvisorDecision>(
        new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(
            new Advisor(AdvisorConfig.defaults(), null), List.of(Advisor.CALIBRATION)),
        AdvisorInput::ticker, Types.STRING, 1, 1, 0);
    try (restored) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
      feed(restored, inputs.subList(30, inputs.size()));
      assertThat(restored.extractOutputValues()).containsExactly(uninterrupted);
    }
  }

  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }
}
