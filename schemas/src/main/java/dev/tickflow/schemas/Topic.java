package dev.tickflow.schemas;

import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.DetectorConfigChange;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.Trade;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * Every Kafka topic of tickflow, staged as the data moves: raw market data, normalised market data, signals,
 * trading, then the side channels. docs/architecture.md#topics lists the same table; a test keeps the two
 * equal.
 */
public enum Topic {
  MARKET_DATA_RAW("market_data.raw", RawTrade.class, "ticker", 7,
      "Trades as ingestors received them, venue fields verbatim; in line with them, each market's FeedHeartbeat and FeedGap."),
  MARKET_DATA_TRADES("market_data.trades", Trade.class, "ticker", 7,
      "Validated, deduplicated trades with exact decimals."),
  MARKET_DATA_QUOTES("market_data.quotes", Quote.class, "ticker", 7,
      "Top of book: best bid and ask."),
  MARKET_DATA_GAPS("market_data.gaps", FeedGap.class, "ticker", 30,
      "Trades missing from a live stream, and whether REST repaired them."),
  MARKET_DATA_OHLC("market_data.ohlc", Candle.class, "ticker", 30,
      "Final (and revised) OHLC candles at every timeframe."),
  SIGNALS_ALERTS("signals.alerts", PatternAlert.class, "ticker", 30,
      "Patterns matched by the CEP detectors."),
  SIGNALS_RAW("signals.raw", Signal.class, "ticker", 30,
      "Scored signals from the rule engine, with per-rule attribution."),
  SIGNALS_DETECTORS("signals.detectors", DetectorConfigChange.class, "detectorId", 3650,
      "Detector instances deployed, replaced or removed; compacted, so it holds the live set.", true),
  SIGNALS_QUALIFIED("signals.qualified", AdvisorDecision.class, "ticker", 30,
      "Advisor decisions with the outcome of every stage."),
  TRADE_INTENTS("trade.intents", ExecutionIntent.class, "account", 30,
      "Orders the advisor wants, before risk."),
  TRADE_VERDICTS("trade.verdicts", RiskVerdict.class, "account", 30,
      "The risk governor's verdict on each intent or command, with the limit state behind it."),
  TRADE_CONTROL("trade.control", RiskControl.class, "account", 3650,
      "Operators' kill-switch commands (stand down, resume, close all), applied in order with the data."),
  TRADE_FILLS("trade.fills", Fill.class, "account", 30,
      "Paper executions of approved intents and of protective stops and take-profits."),
  SIGNAL_OUTCOMES("signal.outcomes", SignalOutcome.class, "account", 30,
      "Closed positions with their profit, linked to signal, decision, intent and verdict."),
  TRADING_AUDIT("trading.audit", AuditEvent.class, "signal id", 30,
      "Every advisor stage and risk check with its inputs and result, traced by signal id."),
  ADVISOR_CALIBRATION("advisor.calibration", CalibrationModel.class, "regime", 3650,
      "Conviction calibration per market regime, fitted from trading.outcomes; compacted.", true),
  METRICS_SNAPSHOT("metrics.snapshot", MetricsSnapshot.class, "component", 3,
      "Periodic metrics of each component; paper accounts report equity, drawdown, hit rate, utilization."),
  HISTORY_REQUESTS("history.requests", HistoryRequest.class, "requestId", 7,
      "Clients' requests for history backfill."),
  HISTORY_FETCHED("history.fetched", HistoryFetched.class, "requestId", 7,
      "Completion markers: an ingestor wrote a history request's trades, at these offsets."),
  NOTIFICATIONS("notifications", HistoryReadyNotification.class, "clientId", 3,
      "Notifications for clients, e.g. history ready."),
  DEADLETTER("deadletter", DeadLetter.class, "source topic", 30,
      "Records that could not be processed: original bytes, reason, and source coordinates.");

  private final String topicName;
  private final Class<? extends SpecificRecord> valueType;
  private final String key;
  private final int retentionDays;
  private final String description;
  private final boolean compacted;

  Topic(String topicName, Class<? extends SpecificRecord> valueType, String key, int retentionDays,
      String description) {
    this(topicName, valueType, key, retentionDays, description, false);
  }

  Topic(String topicName, Class<? extends SpecificRecord> valueType, String key, int retentionDays,
      String description, boolean compacted) {
    this.compacted = compacted;
    this.topicName = topicName;
    this.valueType = valueType;
    this.key = key;
    this.retentionDays = retentionDays;
    this.description = description;
  }

  /** The Kafka topic name, e.g. {@code market_data.raw}. */
  public String topicName() {
    return topicName;
  }

  /** The event type of the record values (Avro single-object encoded). */
  public Class<? extends SpecificRecord> valueType() {
    return valueType;
  }

  /** What the record key is (UTF-8 text). */
  public String key() {
    return key;
  }

  public Duration retention() {
    return Duration.ofDays(retentionDays);
  }

  /**
   * The topic configuration tickflow creates it with. {@code LogAppendTime}: record timestamps say when a
   * record entered Kafka, so time retention counts from ingestion even for replayed history (see
   * {@link RecordHeaders}).
   */
  public Map<String, String> configs() {
    return Map.of(
        "retention.ms", Long.toString(retention().toMillis()),
        "message.timestamp.type", "LogAppendTime",
        // a compacted topic keeps the latest record per key: the current state of each keyed thing
        "cleanup.policy", compacted ? "compact" : "delete");
  }

  public String description() {
    return description;
  }

  public static Optional<Topic> byName(String topicName) {
    return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
  }

  @Override
  public String toString() {
    return topicName;
  }
}
