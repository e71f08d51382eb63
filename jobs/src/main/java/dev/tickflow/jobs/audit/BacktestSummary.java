package dev.tickflow.jobs.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.SignalOutcome;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * What a backtest did, from its own output topics: signals, decisions, intents, fills and closed positions; hit
 * rate (closed at a profit over closed), profit net of fees, fees, the largest fall of realized equity from its
 * peak (starting equity plus closed profit, position by position in closing order) and the paper account's
 * exposure (the largest and last utilization its hourly snapshots report). Exact decimals throughout.
 */
public record BacktestSummary(long signals, long decisions, long intents, long fills, long closed, long won,
    BigDecimal hitRate, BigDecimal pnl, BigDecimal fees, BigDecimal maxDrawdown, BigDecimal maxUtilization,
    String endingEquity) {

  /** Reads the run's outputs (read_committed) and sums them up; {@code startingEquity} starts the equity curve. */
  public static BacktestSummary of(String bootstrapServers, RunScope scope, BigDecimal startingEquity) {
    List<SignalOutcome> outcomes = read(bootstrapServers, scope.outputTopic(Topic.SIGNAL_OUTCOMES),
        SignalOutcome.class);
    List<Fill> fills = read(bootstrapServers, scope.outputTopic(Topic.TRADE_FILLS), Fill.class);
    List<MetricsSnapshot> snapshots = read(bootstrapServers, scope.outputTopic(Topic.METRICS_SNAPSHOT),
        MetricsSnapshot.class);
    return from(count(bootstrapServers, scope.outputTopic(Topic.SIGNALS_RAW)),
        count(bootstrapServers, scope.outputTopic(Topic.SIGNALS_QUALIFIED)),
        count(bootstrapServers, scope.outputTopic(Topic.TRADE_INTENTS)), outcomes, fills, snapshots, startingEquity);
  }

  /** The summary of these outputs. */
  static BacktestSummary from(long signals, long decisions, long intents, List<SignalOutcome> closedPositions,
      List<Fill> fills, List<MetricsSnapshot> hourly, BigDecimal startingEquity) {
    List<SignalOutcome> outcomes = new ArrayList<>(closedPositions);
    List<MetricsSnapshot> snapshots = new ArrayList<>(hourly);
    outcomes.sort(Comparator.comparing(SignalOutcome::getEventTime).thenComparing(SignalOutcome::getPositionId));
    long won = outcomes.stream().filter(o -> o.getPnl().signum() > 0).count();
    BigDecimal pnl = outcomes.stream().map(SignalOutcome::getPnl).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal fees = fills.stream().map(Fill::getFee).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal equity = startingEquity;
    BigDecimal peak = startingEquity;
    BigDecimal maxDrawdown = BigDecimal.ZERO;
    for (SignalOutcome o : outcomes) {
      equity = equity.add(o.getPnl());
      peak = peak.max(equity);
      maxDrawdown = maxDrawdown.max(peak.subtract(equity));
    }
    BigDecimal maxUtilization = BigDecimal.ZERO;
    String ending = startingEquity.toPlainString();
    snapshots.sort(Comparator.comparing(MetricsSnapshot::getEventTime));
    for (MetricsSnapshot s : snapshots) {
      String u = s.getGauges().get("utilization");
      if (u != null && !u.equals("-")) {
        maxUtilization = maxUtilization.max(new BigDecimal(u));
      }
      ending = s.getGauges().getOrDefault("equity", ending);
    }
    return new BacktestSummary(signals, decisions, intents, fills.size(), outcomes.size(), won,
        outcomes.isEmpty() ? null : BigDecimal.valueOf(won).divide(BigDecimal.valueOf(outcomes.size()),
            new MathContext(6, RoundingMode.HALF_EVEN)),
        pnl, fees, maxDrawdown, maxUtilization, ending);
  }

  public String toText() {
    return String.format(Locale.ROOT, """
          signals %d, decisions %d, intents %d, fills %d
          closed positions %d, won %d, hit rate %s
          profit net of fees %s, fees %s
          max drawdown (realized) %s, max utilization %s, ending equity %s
        """, signals, decisions, intents, fills, closed, won, hitRate == null ? "-" : hitRate.toPlainString(),
        pnl.stripTrailingZeros().toPlainString(), fees.stripTrailingZeros().toPlainString(),
        maxDrawdown.stripTrailingZeros().toPlainString(), maxUtilization.stripTrailingZeros().toPlainString(),
        endingEquity);
  }

  /** Exact decimals as strings, so no JSON reader turns them into doubles. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("signals", signals);
    m.put("decisions", decisions);
    m.put("intents", intents);
    m.put("fills", fills);
    m.put("closed", closed);
    m.put("won", won);
    m.put("hitRate", hitRate == null ? null : hitRate.toPlainString());
    m.put("pnl", pnl.toPlainString());
    m.put("fees", fees.toPlainString());
    m.put("maxDrawdown", maxDrawdown.toPlainString());
    m.put("maxUtilization", maxUtilization.toPlainString());
    m.put("endingEquity", endingEquity);
    return m;
  }

  public String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long count(String bootstrapServers, String topic) {
    long[] n = {0};
    CommittedRecords.forEach(bootstrapServers, topic, r -> n[0]++);
    return n[0];
  }

  private static <T extends SpecificRecordBase> List<T> read(String bootstrapServers, String topic, Class<T> type) {
    List<T> out = new ArrayList<>();
    CommittedRecords.forEach(bootstrapServers, topic, r -> out.add(EventTypes.codec(type).decode(r.value())));
    return out;
  }
}
