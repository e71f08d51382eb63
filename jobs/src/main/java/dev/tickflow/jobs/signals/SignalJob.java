package dev.tickflow.jobs.signals;

import dev.tickflow.catalog.tables.SignalTables;
import dev.tickflow.jobs.detector.DetectorConfig;
import dev.tickflow.jobs.detector.DetectorEngine;
import dev.tickflow.jobs.detector.DetectorInput;
import dev.tickflow.jobs.io.Connectors;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.EventDecoder;
import dev.tickflow.jobs.io.NeverIdle;
import dev.tickflow.jobs.io.RecordPlacedWatermarks;
import dev.tickflow.jobs.io.RelaySink;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.jobs.lake.LakeRows;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.patterns.CandlePatterns;
import dev.tickflow.jobs.patterns.PatternSpec;
import dev.tickflow.jobs.patterns.TradePatterns;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.DetectorConfigChange;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The signal pipeline: final candles from {@code market_data.ohlc} (committed only) through the detector
 * instances, signals out to Kafka {@code signals.raw} (exactly once), Iceberg {@code signals.signals} and the
 * relay ({@code TICKER|signal}); and through the CEP patterns, alerts out to {@code signals.alerts} (Kafka and
 * Iceberg) and the relay ({@code TICKER|alert}).
 *
 * <pre>
 * market_data.ohlc ─▶ decode ─▶ keyBy ticker|timeframe ─▶ DetectorEngine ─┬─▶ Kafka signals.raw
 * signals.detectors ─▶ decode ─▶ broadcast ───────────────────┘          ├─▶ Iceberg signals.signals
 *                                                                        ├─▶ relay TICKER|signal
 *                              refused configs, failed instances, bad records ─▶ Kafka deadletter
 * market_data.ohlc ─▶ bar time (watermarks) ─▶ CEP per pattern ─▶ Kafka + Iceberg signals.alerts, relay TICKER|alert
 *                                                      └─▶ alerts to DetectorEngine (for rules on patterns)
 * market_data.trades ─▶ trade time ─▶ CEP per pattern over trades ─▶ the same alert outputs
 * </pre>
 *
 * It reads the candles Kafka holds, not the market-data operators' output, so replaying a range of
 * {@code market_data.ohlc} gives the same signals, ids included.
 */
public final class SignalJob {

  /** Consumer group prefix of the pipeline's sources. */
  public static final String GROUP_ID = "tickflow-signals";

  private SignalJob() {}

  /**
   * Adds the pipeline to {@code env}, with {@code startup} detector instances running from the first candle and
   * the CEP {@code patterns}.
   */
  /** What later stages build on: candles in bar time, and the detectors' signals (their watermark is bar time). */
  public record Streams(DataStream<Candle> candles, DataStream<Signal> signals) {}

  public static Streams addTo(StreamExecutionEnvironment env, MarketDataJobConfig c, List<DetectorConfig> startup,
      List<PatternSpec> patterns) {
    if (c.catalog() != null) {
      Connectors.ensureTables(c, SignalTables.ALL); // Iceberg's sink builder loads its table
    }
    SingleOutputStreamOperator<Candle> candles = env.fromSource(
            Connectors.kafkaSource(c, Topic.MARKET_DATA_OHLC.topicName(), GROUP_ID,
                new SourceRecordDeserializer(payload -> Long.MIN_VALUE)),
            WatermarkStrategy.noWatermarks(), "Kafka " + Topic.MARKET_DATA_OHLC + " (signals)")
        .uid(c.scope().io("signals-source-ohlc"))
        .process(new EventDecoder<>(Candle.class, "signals-decode-candle")).uid("signals-decode-candle")
        .name("decode candles");
    SingleOutputStreamOperator<DetectorConfigChange> changes = env.fromSource(
            Connectors.kafkaSource(c, Topic.SIGNALS_DETECTORS.topicName(), GROUP_ID + "-detectors",
                new SourceRecordDeserializer(payload -> Long.MIN_VALUE)),
            // idle between deploys, so it never holds back the engine's event time
            WatermarkStrategy.<SourceRecord>forMonotonousTimestamps().withIdleness(c.idleness()),
            "Kafka " + Topic.SIGNALS_DETECTORS)
        .uid(c.scope().io("signals-source-detectors"))
        .process(new EventDecoder<>(DetectorConfigChange.class, "signals-decode-detector"))
        .uid("signals-decode-detector").name("decode detector changes");
    BroadcastStream<DetectorConfigChange> broadcast = changes.broadcast(DetectorEngine.CHANGES);

    // Bar time: a bar's time is its close; the watermark trails the newest base-timeframe close by a minute
    // (BarTimeWatermarks says why only base bars move it). CEP needs it, and so do detectors with pattern rules,
    // which judge a bar once every alert up to it has arrived, and the advisor, which decides on the market before
    // each signal.
    Timeframe base = c.timeframe();
    DataStream<Candle> timed = candles.assignTimestampsAndWatermarks(WatermarkStrategy
            .<Candle>forGenerator(ctx -> new BarTimeWatermarks(base, Duration.ofMinutes(1)))
            .withTimestampAssigner((candle, ts) -> candle.getCloseTime().toEpochMilli())
            .withIdleness(c.idleness()))
        .uid("signals-bar-time").name("bar time");
    // Kept active like the CEP paths: otherwise, after the candles idled between two commits, a CEP path's
    // watermark could reach the engine before the candle path says it is active again, and the engine would judge
    // bars (timers) before the candles of those bars arrived (NeverIdle says more).
    DataStream<DetectorInput> engineInput = timed.map(DetectorInput::of, FlinkTypes.of(DetectorInput.class))
        .uid("detector-input-candles").name("candles to detectors")
        .transform("keep candles active", FlinkTypes.of(DetectorInput.class), new NeverIdle<>())
        .uid("detector-input-candles-active");
    DataStream<PatternAlert> barAlerts = CandlePatterns.addTo(timed, patterns);
    if (barAlerts != null) {
      engineInput = engineInput.union(barAlerts.map(DetectorInput::of, FlinkTypes.of(DetectorInput.class))
          .uid("detector-input-alerts").name("alerts to detectors"));
    }
    DataStream<PatternAlert> tradeAlerts = patterns.stream().anyMatch(p -> p.type().overTrades())
        ? TradePatterns.addTo(trades(env, c), patterns) : null;
    if (barAlerts != null || tradeAlerts != null) {
      alerts(barAlerts == null ? tradeAlerts : tradeAlerts == null ? barAlerts : barAlerts.union(tradeAlerts), c);
    }
    SingleOutputStreamOperator<Signal> signals = engineInput
        .keyBy(DetectorInput::key, Types.STRING)
        .connect(broadcast)
        .process(new DetectorEngine(startup)).uid("detector-engine").name("DetectorEngine");

    signals.sinkTo(Connectors.kafkaSink(c, Topic.SIGNALS_RAW, Signal.class,
            s -> Ticker.key(s.getExchange(), s.getBase(), s.getQuote()).getBytes(StandardCharsets.UTF_8)))
        .uid(c.scope().io("sink-kafka-signals")).name("Kafka " + Topic.SIGNALS_RAW);
    DataStream<DeadLetter> deadLetters = signals.getSideOutput(DeadLetters.TAG)
        .union(candles.getSideOutput(DeadLetters.TAG), changes.getSideOutput(DeadLetters.TAG));
    deadLetters.sinkTo(Connectors.kafkaSink(c, Topic.DEADLETTER, DeadLetter.class,
            d -> d.getSourceTopic().getBytes(StandardCharsets.UTF_8), "signals"))
        .uid(c.scope().io("sink-kafka-deadletter-signals")).name("Kafka " + Topic.DEADLETTER + " (signals)");
    if (c.catalog() != null) {
      Connectors.appendToLake(signals.map(new LakeRows.SignalRow(), Connectors.rowType(SignalTables.SIGNALS))
          .uid("rows-signals").name("rows " + SignalTables.SIGNALS.identifier()), SignalTables.SIGNALS, c,
          "signals", List.of());
    }
    if (c.relayIngress() != null) {
      signals.sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), Signal.class,
              s -> Ticker.key(s.getExchange(), s.getBase(), s.getQuote()) + "|signal"))
          .uid("sink-relay-signals").name("Relay signals");
    }
    return new Streams(timed, signals);
  }

  /**
   * Unique trades from {@code market_data.trades} (committed only) in event time, for the patterns over trades.
   * Trades of a partition come nearly in order; the watermark trails by the job's out-of-orderness.
   */
  private static DataStream<Trade> trades(StreamExecutionEnvironment env, MarketDataJobConfig c) {
    Duration outOfOrderness = c.outOfOrderness();
    Duration step = c.watermarkStep();
    return env.fromSource(
            Connectors.kafkaSource(c, Topic.MARKET_DATA_TRADES.topicName(), GROUP_ID + "-trades",
                new SourceRecordDeserializer(payload -> Long.MIN_VALUE)),
            WatermarkStrategy.noWatermarks(), "Kafka " + Topic.MARKET_DATA_TRADES + " (patterns)")
        .uid(c.scope().io("signals-source-trades"))
        .process(new EventDecoder<>(Trade.class, "signals-decode-trade")).uid("signals-decode-trade")
        .name("decode trades")
        .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>forGenerator(ctx -> new RecordPlacedWatermarks<>(outOfOrderness, step))
            .withTimestampAssigner((t, ts) -> t.getEventTime().toEpochMilli())
            .withIdleness(c.idleness()))
        .uid("signals-trade-time").name("trade time");
  }

  /** Alerts to Kafka, Iceberg and the relay. */
  private static void alerts(DataStream<PatternAlert> alerts, MarketDataJobConfig c) {
    alerts.sinkTo(Connectors.kafkaSink(c, Topic.SIGNALS_ALERTS, PatternAlert.class,
            a -> Ticker.key(a.getExchange(), a.getBase(), a.getQuote()).getBytes(StandardCharsets.UTF_8)))
        .uid(c.scope().io("sink-kafka-alerts")).name("Kafka " + Topic.SIGNALS_ALERTS);
    if (c.catalog() != null) {
      Connectors.appendToLake(alerts.map(new LakeRows.AlertRow(), Connectors.rowType(SignalTables.ALERTS))
          .uid("rows-alerts").name("rows " + SignalTables.ALERTS.identifier()), SignalTables.ALERTS, c, "alerts",
          List.of());
    }
    if (c.relayIngress() != null) {
      alerts.sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), PatternAlert.class,
              a -> Ticker.key(a.getExchange(), a.getBase(), a.getQuote()) + "|alert"))
          .uid("sink-relay-alerts").name("Relay alerts");
    }
  }
}
