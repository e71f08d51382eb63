package dev.tickflow.bench;

import dev.tickflow.jobs.advisor.Advisor;
import dev.tickflow.jobs.advisor.AdvisorConfig;
import dev.tickflow.jobs.advisor.AdvisorInput;
import dev.tickflow.jobs.advisor.AdvisorPipeline;
import dev.tickflow.jobs.advisor.DeterministicSynthesis;
import dev.tickflow.jobs.advisor.MarketView;
import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.detector.DetectorRun;
import dev.tickflow.jobs.paper.PaperConfig;
import dev.tickflow.jobs.risk.AccountInput;
import dev.tickflow.jobs.risk.RiskGovernor;
import dev.tickflow.jobs.risk.RiskLimits;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.Trade;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The decision pipeline over the bundled 12 hours of Binance XRP/ETH (720 1m candles, the trades, and the signals
 * the two example detectors give over the candles): the {@code Advisor} operator (Flink's keyed broadcast operator,
 * heap state, event-time ordering, state kept as bytes) beside the same stages as a plain loop without Flink (the
 * cost of being a fault-tolerant operator), and the {@code RiskGovernor} operator over the advisor's intents and
 * every trade (verdicts, paper fills, stops). Score: passes over the 12 hours per second; events per pass are
 * printed at setup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionPipelineBenchmark {

  private final AdvisorConfig advisor = AdvisorConfig.defaults();
  private List<AdvisorInput> advisorInputs;
  private List<AccountInput> accountInputs;

  @Setup
  public void setUp() throws Exception {
    List<Candle> candles = SampleMarket.candles();
    List<Trade> trades = SampleMarket.trades();
    List<DetectorConfig> detectors = SampleMarket.exampleDetectors();
    List<Signal> signals = DetectorRun.signals(detectors, candles);
    advisorInputs = new ArrayList<>();
    candles.forEach(c -> advisorInputs.add(AdvisorInput.of(c)));
    trades.forEach(t -> advisorInputs.add(AdvisorInput.of(t)));
    signals.forEach(s -> advisorInputs.add(AdvisorInput.of(s)));
    advisorInputs.sort(Comparator.comparingLong(AdvisorInput::time));
    List<ExecutionIntent> intents = plainAdvisor();
    accountInputs = new ArrayList<>();
    intents.forEach(i -> accountInputs.add(AccountInput.of(i)));
    trades.forEach(t -> accountInputs.add(AccountInput.of(advisor.account(), t)));
    accountInputs.sort(Comparator.comparingLong(AccountInput::time));
    System.out.printf("%n%d candles, %d trades, %d signals -> %d intents%n", candles.size(), trades.size(),
        signals.size(), intents.size());
  }

  private List<ExecutionIntent> plainAdvisor() {
    MarketView market = new MarketView(advisor.atrPeriod());
    AdvisorPipeline pipeline = new AdvisorPipeline(advisor, new DeterministicSynthesis());
    List<ExecutionIntent> intents = new ArrayList<>();
    for (AdvisorInput in : advisorInputs) {
      if (in.candle != null) {
        market.onCandle(in.candle);
      } else if (in.trade != null) {
        market.onTrade(in.trade);
      } else {
        AdvisorPipeline.Outcome o = pipeline.run(in.signal, market.contextAt(in.time(), in.signal.getTimeframe(),
            advisor), Map.of());
        if (o.intent() != null) {
          intents.add(o.intent());
        }
      }
    }
    return intents;
  }

  @Benchmark
  public void advisorPlainLoop(Blackhole out) {
    out.consume(plainAdvisor());
  }

  @Benchmark
  public void advisorOperator(Blackhole out) throws Exception {
    try (var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new Advisor(advisor, null),
        AdvisorInput::ticker, Types.STRING, Advisor.CALIBRATION)) {
      h.open();
      h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
      for (AdvisorInput in : advisorInputs) {
        h.processElement(in, in.time());
      }
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      out.consume(h.extractOutputValues());
    }
  }

  @Benchmark
  public void riskGovernorOperator(Blackhole out) throws Exception {
    try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
        new RiskGovernor(RiskLimits.defaults(), PaperConfig.defaults()), AccountInput::account, Types.STRING)) {
      h.open();
      for (AccountInput in : accountInputs) {
        h.processElement(in, in.time());
      }
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      out.consume(h.extractOutputValues());
    }
  }
}
