package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FillPurpose;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.RiskCommand;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SignalOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision pipeline on the running platform over six hours of Binance XRP/ETH trades: the example detectors
 * signal, every signal gets an advisor decision, every intent a risk verdict, every paper fill traces back to its
 * signal, intent and verdict, and the realized profit recomputed from the fills equals the account snapshot's,
 * digit for digit. Kafka is read read_committed; the lake holds the same verdicts and fills.
 */
class TradingIT {

  private static final Instant UNTIL = Instant.parse("2019-10-11T06:00:00Z");
  /** Events after this are still held by watermarks when the replay ends (nothing later comes to pass them). */
  private static final Instant SETTLED = UNTIL.minus(Duration.ofMinutes(10));

  @TempDir Path dataDir;

  @Test
  void everySignalIsDecidedEveryIntentJudgedAndThePaperBookAddsUp() throws Exception {
    Path trading = SampleExpectations.tradingSettings(dataDir);
    LocalStackConfig config = LocalStackConfig.forTests(dataDir.resolve("stack"))
        .withTrading(Path.of("../docs/detectors"), trading);
    try (LocalStack stack = LocalStack.start(config)) {
      String kafka = stack.kafkaBootstrap();
      Probes.replay(kafka, UNTIL);

      Map<String, Signal> signals = new HashMap<>();
      Map<String, AdvisorDecision> decisions = new HashMap<>();
      Probes.waitFor("a decision for every settled signal", Duration.ofSeconds(180), () -> {
        read(kafka, Topic.SIGNALS_RAW, Signal.class, signals, Signal::getSignalId);
        read(kafka, Topic.SIGNALS_QUALIFIED, AdvisorDecision.class, decisions, AdvisorDecision::getSignalId);
        List<Signal> settled = signals.values().stream().filter(s -> s.getEventTime().isBefore(SETTLED)).toList();
        return settled.size() > 0 && settled.stream().allMatch(s -> decisions.containsKey(s.getSignalId()));
      });
      // sinks commit one after another at a checkpoint: read until every reference resolves
      Map<String, ExecutionIntent> intents = new HashMap<>();
      Map<String, RiskVerdict> verdicts = new HashMap<>();
      List<Fill> fills = new ArrayList<>();
      Probes.waitFor("a verdict for every settled intent, and every fill's intent and verdict", Duration.ofSeconds(120),
          () -> {
            read(kafka, Topic.SIGNALS_RAW, Signal.class, signals, Signal::getSignalId);
            read(kafka, Topic.SIGNALS_QUALIFIED, AdvisorDecision.class, decisions, AdvisorDecision::getSignalId);
            read(kafka, Topic.TRADE_INTENTS, ExecutionIntent.class, intents, ExecutionIntent::getIntentId);
            read(kafka, Topic.TRADE_VERDICTS, RiskVerdict.class, verdicts, RiskVerdict::getIntentId);
            fills.clear();
            fills.addAll(records(kafka, Topic.TRADE_FILLS, Fill.class));
            return intents.values().stream().filter(i -> i.getEventTime().isBefore(SETTLED))
                    .allMatch(i -> verdicts.containsKey(i.getIntentId()))
                && decisions.values().stream().allMatch(d -> d.getIntentId() == null || intents.containsKey(d.getIntentId()))
                && decisions.keySet().stream().allMatch(signals::containsKey)
                && fills.stream().allMatch(f -> verdicts.containsKey(f.getIntentId()) && signals.containsKey(f.getSignalId()));
          });
      assertThat(intents).as("some signals pass the advisor").isNotEmpty();
      decisions.values().forEach(d -> {
        assertThat(signals).containsKey(d.getSignalId());
        assertThat(d.getStages()).isNotEmpty();
      });
      List<AuditEvent> audit = records(kafka, Topic.TRADING_AUDIT, AuditEvent.class);
      assertThat(audit.stream().map(AuditEvent::getTraceId).collect(Collectors.toSet()))
          .as("every decided signal has its audit trail").containsAll(decisions.keySet());

      // fills: each traces back to its verdict, intent and signal, each once
      assertThat(fills).as("paper fills").isNotEmpty();
      assertThat(fills.stream().map(Fill::getFillId)).doesNotHaveDuplicates();
      for (Fill f : fills) {
        assertThat(intents).containsKey(f.getIntentId());
        assertThat(verdicts.get(f.getIntentId()).getApproved()).isTrue();
        assertThat(signals).containsKey(f.getSignalId());
        assertThat(intents.get(f.getIntentId()).getSignalId()).isEqualTo(f.getSignalId());
        assertThat(f.getVerdictId()).isEqualTo(verdicts.get(f.getIntentId()).getVerdictId());
      }
      List<SignalOutcome> outcomes = records(kafka, Topic.SIGNAL_OUTCOMES, SignalOutcome.class);
      for (SignalOutcome o : outcomes) {
        assertThat(fills).anyMatch(f -> f.getPositionId().equals(o.getPositionId()) && f.getPurpose() == FillPurpose.OPEN);
        assertThat(decisions.get(o.getSignalId()).getDecisionId()).isEqualTo(o.getDecisionId());
      }

      // the book: realized profit from the fills before each snapshot equals the snapshot's
      List<MetricsSnapshot> snapshots = records(kafka, Topic.METRICS_SNAPSHOT, MetricsSnapshot.class);
      assertThat(snapshots).as("hourly account snapshots").isNotEmpty();
      for (MetricsSnapshot s : snapshots) {
        assertThat(new BigDecimal(s.getGauges().get("realized_pnl")))
            .as("realized at " + s.getEventTime()).isEqualByComparingTo(realizedFromFills(fills, s.getEventTime()));
        assertThat(s.getGauges()).containsEntry("currency", "ETH").containsKeys("equity", "drawdown", "hit_rate",
            "utilization");
      }
      System.out.printf("TradingIT: %d signals, %d decisions, %d intents, verdicts %s, %d fills, %d closed, snapshots %s%n",
          signals.size(), decisions.size(), intents.size(), verdicts.values().stream().collect(
              Collectors.groupingBy(v -> v.getVerdict().name(), java.util.TreeMap::new, Collectors.counting())),
          fills.size(), outcomes.size(), snapshots.stream().map(x -> x.getEventTime() + "=" + x.getGauges()
              .get("realized_pnl")).toList());
      if (System.getenv("TRADING_IT_TRACE") != null) {
        signals.values().stream().sorted(Comparator.comparing(Signal::getEventTime)).forEach(x -> {
          AdvisorDecision d = decisions.get(x.getSignalId());
          RiskVerdict v = d == null || d.getIntentId() == null ? null : verdicts.get(d.getIntentId());
          System.out.println("TRACE " + x.getEventTime() + " " + x.getDetectorId() + " " + x.getDirection() + " "
              + (d == null ? "-" : d.getAction() + " " + d.getConviction() + " " + d.getEntryPrice()) + " "
              + (v == null ? "-" : v.getVerdict() + " " + v.getApprovedAmount()));
        });
        fills.stream().sorted(Comparator.comparing(Fill::getEventTime)).forEach(f -> System.out.println(
            "TRACE fill " + f.getEventTime() + " " + f.getPurpose() + " " + f.getPrice() + " " + f.getAmount()));
      }
      MetricsSnapshot last = snapshots.stream().max(Comparator.comparing(MetricsSnapshot::getEventTime)).orElseThrow();
      assertThat(last.getCounters().getOrDefault("fills", 0L))
          .isEqualTo(fills.stream().filter(f -> f.getEventTime().isBefore(last.getEventTime())).count());

      // the lake holds the same verdicts and fills
      SqlRunner sql = new SqlRunner(stack.catalog());
      Probes.waitFor("verdicts and fills in the lake", Duration.ofSeconds(60), () -> {
        try {
          long v = ((Number) sql.query("SELECT COUNT(*) FROM trading.verdicts").get(0).get(0)).longValue();
          long f = ((Number) sql.query("SELECT COUNT(*) FROM trading.fills").get(0).get(0)).longValue();
          return v >= verdicts.size() && f >= fills.size();
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(sql.query("SELECT verdict_id FROM trading.verdicts").stream().map(r -> (String) r.get(0))
          .collect(Collectors.toSet())).isEqualTo(verdicts.values().stream().map(RiskVerdict::getVerdictId)
              .collect(Collectors.toSet()));

      // the kill switch through the CLI reaches trade.control; calibration reads the outcomes in the lake
      StringWriter out = new StringWriter();
      assertThat(cli(out, "risk", "stand-down", "--account", "paper", "--reason", "IT", "--bootstrap-servers", kafka))
          .isZero();
      assertThat(out.toString()).contains("STAND_DOWN for account paper");
      assertThat(records(kafka, Topic.TRADE_CONTROL, RiskControl.class)).singleElement()
          .satisfies(c -> assertThat(c.getCommand()).isEqualTo(RiskCommand.STAND_DOWN));
      StringWriter fit = new StringWriter();
      assertThat(cli(fit, "calibrate", "--catalog", dataDir.resolve("stack/catalog.properties").toString(),
          "--dry-run", "--min-samples", "2")).isZero();
      assertThat(fit.toString()).contains("dry run").containsPattern("\\*\\s+\\w+\\s+" + outcomesIn(sql));
      StringWriter published = new StringWriter();
      assertThat(cli(published, "calibrate", "--catalog", dataDir.resolve("stack/catalog.properties").toString(),
          "--min-samples", "2", "--bootstrap-servers", kafka)).isZero();
      assertThat(records(kafka, Topic.ADVISOR_CALIBRATION, CalibrationModel.class))
          .extracting(CalibrationModel::getRegime).contains("*");
    }
  }

  private static long outcomesIn(SqlRunner sql) throws Exception {
    return ((Number) sql.query("SELECT COUNT(*) FROM trading.outcomes WHERE outcome <> 'NEUTRAL'").get(0).get(0))
        .longValue();
  }

  /** Sells add, buys spend, fees cost: over the positions closed before {@code at}, and every fee paid before it. */
  static BigDecimal realizedFromFills(List<Fill> fills, Instant at) {
    List<Fill> before = fills.stream().filter(f -> f.getEventTime().isBefore(at)).toList();
    Set<String> closed = before.stream().filter(f -> f.getPurpose() != FillPurpose.OPEN).map(Fill::getPositionId)
        .collect(Collectors.toSet());
    BigDecimal sum = BigDecimal.ZERO;
    for (Fill f : before) {
      sum = sum.subtract(f.getFee());
      if (closed.contains(f.getPositionId())) {
        BigDecimal cash = f.getPrice().multiply(f.getAmount());
        sum = f.getSide() == Side.SELL ? sum.add(cash) : sum.subtract(cash);
      }
    }
    return sum;
  }

  private static <T extends SpecificRecord> List<T> records(String kafka, Topic topic, Class<T> type) {
    List<T> out = new ArrayList<>();
    Probes.readCommitted(kafka, topic.topicName()).forEach(r -> out.add(EventTypes.codec(type).decode(r.value())));
    return out;
  }

  private static <T extends SpecificRecord> void read(String kafka, Topic topic, Class<T> type, Map<String, T> into,
      Function<T, String> id) {
    for (T t : records(kafka, topic, type)) {
      T previous = into.put(id.apply(t), t);
      assertThat(previous == null || previous.equals(t)).as("one " + type.getSimpleName() + " per id").isTrue();
    }
  }

  private static int cli(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    assertThat(err.toString()).as(String.join(" ", args)).isEmpty();
    return code;
  }
}
