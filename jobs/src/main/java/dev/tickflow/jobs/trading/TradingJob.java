package dev.tickflow.jobs.trading;

import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.TradingTables;
import dev.tickflow.jobs.advisor.Advisor;
import dev.tickflow.jobs.advisor.AdvisorInput;
import dev.tickflow.jobs.io.Connectors;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.EventDecoder;
import dev.tickflow.jobs.io.NeverIdle;
import dev.tickflow.jobs.io.OnTimeOnly;
import dev.tickflow.jobs.io.RecordPlacedWatermarks;
import dev.tickflow.jobs.io.RelaySink;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.jobs.lake.RecordRows;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.risk.AccountInput;
import dev.tickflow.jobs.risk.RiskGovernor;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.CalibrationModel;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The decision pipeline behind the detectors: every signal through the advisor, every intent through the risk
 * governor, approved ones executed on paper, closed positions back as outcomes.
 *
 * <pre>
 * signals (in the graph) ┐
 * final candles ─────────┼─▶ keyBy ticker ─▶ Advisor ─┬─▶ decisions: Kafka signals.qualified, Iceberg trading.decisions
 * market_data.trades ────┤        advisor.calibration ┘  └▶ intents: Kafka trade.intents, Iceberg trading.intents
 * market_data.quotes ────┘          (broadcast)             │
 *                                                           ▼
 * trade.control ───────────────────────────────▶ keyBy account ─▶ RiskGovernor (+ PaperBroker)
 * market_data.trades (to every account) ───────────────┘   ├─▶ verdicts: trade.verdicts, trading.verdicts
 *                                                          ├─▶ fills: trade.fills, trading.fills
 *                                                          ├─▶ closed positions: signal.outcomes, trading.outcomes
 *                                                          └─▶ account snapshots: metrics.snapshot, trading.snapshots
 * advisor stages + verdicts ─▶ audit: trading.audit (Kafka and Iceberg)
 * decisions, fills ─▶ relay TICKER|decision, TICKER|fill
 * </pre>
 *
 * Signals come from the detector engine in the same graph rather than from {@code signals.raw}: they carry bar
 * time as their watermark, so the advisor can hold market data until each signal's moment has passed and decide
 * on exactly the market before it. Everything downstream is event time, so a replay decides the same. Two
 * things keep it so when the sources deliver in bursts (a checkpoint's worth at a time, hours of a fast replay):
 * the candle, signal, trade and intent paths never report idle ({@link NeverIdle}), so no path's watermark runs
 * ahead while another is merely between commits (the price: with no trade at all on any ticker, decisions wait
 * for the next one, which they need to fill anyway); and trades late on their own path are dropped
 * ({@link OnTimeOnly}, metric {@code tradingLateTrades}) rather than applied at whatever point the joined
 * watermark happens to be. Quotes count as idle after a minute of silence (many venues send none); a quote
 * arriving after such a silence is applied when it arrives.
 */
public final class TradingJob {

  public static final String GROUP_ID = "tickflow-trading";
  /** The shortest silence after which market data stops holding the decision pipeline's event time back. */
  static final Duration MARKET_IDLENESS = Duration.ofMinutes(1);

  private TradingJob() {}

  public static void addTo(StreamExecutionEnvironment env, MarketDataJobConfig c, TradingConfig t,
      DataStream<Signal> signals, DataStream<Candle> candles) {
    if (c.catalog() != null) {
      Connectors.ensureTables(c, TradingTables.ALL); // Iceberg's sink builder loads its table
    }
    Duration outOfOrderness = c.outOfOrderness();
    Duration step = c.watermarkStep();
    // Trades never count as idle here: between two commits of the market-data job (hours of a fast replay) the
    // candle path must not run ahead of them (see the class comment). Quotes, which many venues never send, count
    // as idle after a minute of silence.
    Duration quiet = c.idleness().compareTo(MARKET_IDLENESS) > 0 ? c.idleness() : MARKET_IDLENESS;
    SingleOutputStreamOperator<Trade> decodedTrades = decoded(env, c, Topic.MARKET_DATA_TRADES, Trade.class,
        "trades", WatermarkStrategy.<Trade>forGenerator(ctx -> new RecordPlacedWatermarks<>(outOfOrderness, step))
            .withTimestampAssigner((SerializableTimestampAssigner<Trade>) (x, ts) -> x.getEventTime().toEpochMilli()));
    DataStream<Trade> trades = keptActive(decodedTrades.process(new OnTimeOnly<Trade>("tradingLateTrades"),
        FlinkTypes.of(Trade.class)).uid("trading-on-time-trades").name("trades on time"),
        FlinkTypes.of(Trade.class), "trades");
    SingleOutputStreamOperator<CalibrationModel> calibration = decoded(env, c, Topic.ADVISOR_CALIBRATION,
        CalibrationModel.class, "calibration", WatermarkStrategy.<CalibrationModel>forGenerator(ctx -> new RecordPlacedWatermarks<>(Duration.ZERO))
            .withTimestampAssigner((SerializableTimestampAssigner<CalibrationModel>) (x, ts) ->
                x.getEventTime().toEpochMilli())
            // idle between fits, so it never holds the advisor's event time back
            .withIdleness(c.idleness()));
    SingleOutputStreamOperator<RiskControl> control = decoded(env, c, Topic.TRADE_CONTROL, RiskControl.class,
        "control", WatermarkStrategy.<RiskControl>forGenerator(ctx -> new RecordPlacedWatermarks<>(Duration.ZERO))
            .withTimestampAssigner((SerializableTimestampAssigner<RiskControl>) (x, ts) ->
                x.getEventTime().toEpochMilli())
            // idle between commands, so it never holds the governor back
            .withIdleness(c.idleness()));
    DataStream<DeadLetter> deadLetters = decodedTrades.getSideOutput(DeadLetters.TAG)
        .union(calibration.getSideOutput(DeadLetters.TAG), control.getSideOutput(DeadLetters.TAG));

    TypeInformation<AdvisorInput> advisorType = FlinkTypes.of(AdvisorInput.class);
    DataStream<AdvisorInput> advisorInput = keptActive(signals.map(AdvisorInput::of, advisorType)
            .uid("advisor-input-signals").name("signals to advisor"), advisorType, "signals")
        .union(keptActive(candles.filter(Candle::getIsFinal).uid("advisor-final-candles").name("final candles")
                .map(AdvisorInput::of, advisorType).uid("advisor-input-candles").name("candles to advisor"),
                advisorType, "candles"),
            trades.map(AdvisorInput::of, advisorType).uid("advisor-input-trades").name("trades to advisor"));
    if (c.readsQuotes()) {
      SingleOutputStreamOperator<Quote> quotes = decoded(env, c, Topic.MARKET_DATA_QUOTES, Quote.class, "quotes",
          WatermarkStrategy.<Quote>forGenerator(ctx -> new RecordPlacedWatermarks<>(outOfOrderness, step))
              .withTimestampAssigner((SerializableTimestampAssigner<Quote>) (x, ts) -> x.getEventTime().toEpochMilli())
              .withIdleness(quiet));
      deadLetters = deadLetters.union(quotes.getSideOutput(DeadLetters.TAG));
      advisorInput = advisorInput.union(quotes.process(new OnTimeOnly<Quote>("tradingLateQuotes"),
              FlinkTypes.of(Quote.class)).uid("trading-on-time-quotes").name("quotes on time")
          .map(AdvisorInput::of, advisorType)
          .uid("advisor-input-quotes").name("quotes to advisor"));
    }
    BroadcastStream<CalibrationModel> models = calibration.broadcast(Advisor.CALIBRATION);
    SingleOutputStreamOperator<AdvisorDecision> decisions = advisorInput
        .keyBy(AdvisorInput::ticker, Types.STRING)
        .connect(models)
        .process(new Advisor(t.advisor(), t.synthesis())).uid("advisor").name("Advisor");
    DataStream<ExecutionIntent> intents = decisions.getSideOutput(Advisor.INTENTS);

    TypeInformation<AccountInput> accountType = FlinkTypes.of(AccountInput.class);
    List<String> accounts = List.of(t.advisor().account());
    DataStream<AccountInput> accountInput = keptActive(intents.map(AccountInput::of, accountType)
            .uid("risk-input-intents").name("intents to risk"), accountType, "intents")
        .union(control.map(AccountInput::of, accountType).uid("risk-input-control").name("commands to risk"),
            trades.<AccountInput>flatMap((trade, out) -> accounts.forEach(a -> out.collect(AccountInput.of(a, trade))),
                accountType).uid("risk-input-trades").name("trades to every account"));
    SingleOutputStreamOperator<RiskVerdict> verdicts = accountInput
        .keyBy(AccountInput::account, Types.STRING)
        .process(new RiskGovernor(t.risk(), t.paper())).uid("risk-governor").name("RiskGovernor");

    deadLetters = deadLetters.union(decisions.getSideOutput(DeadLetters.TAG),
        verdicts.getSideOutput(DeadLetters.TAG));
    DataStream<AuditEvent> audit = decisions.getSideOutput(Advisor.AUDIT)
        .union(verdicts.getSideOutput(RiskGovernor.AUDIT));
    land(decisions, Topic.SIGNALS_QUALIFIED, AdvisorDecision.class, TradingTables.DECISIONS, c,
        d -> Ticker.key(d.getExchange(), d.getBase(), d.getQuote()));
    land(intents, Topic.TRADE_INTENTS, ExecutionIntent.class, TradingTables.INTENTS, c, i -> i.getAccount());
    land(verdicts, Topic.TRADE_VERDICTS, RiskVerdict.class, TradingTables.VERDICTS, c, v -> v.getAccount());
    land(verdicts.getSideOutput(RiskGovernor.FILLS), Topic.TRADE_FILLS, Fill.class, TradingTables.FILLS, c,
        f -> f.getAccount());
    land(verdicts.getSideOutput(RiskGovernor.OUTCOMES), Topic.SIGNAL_OUTCOMES, SignalOutcome.class,
        TradingTables.OUTCOMES, c, o -> o.getAccount());
    land(verdicts.getSideOutput(RiskGovernor.SNAPSHOTS), Topic.METRICS_SNAPSHOT, MetricsSnapshot.class,
        TradingTables.SNAPSHOTS, c, m -> m.getComponent() + "/" + m.getInstance());
    land(audit, Topic.TRADING_AUDIT, AuditEvent.class, TradingTables.AUDIT, c, a -> a.getTraceId());
    if (c.relayIngress() != null) {
      decisions.sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), AdvisorDecision.class,
              d -> Ticker.key(d.getExchange(), d.getBase(), d.getQuote()) + "|decision"))
          .uid("sink-relay-decisions").name("Relay decisions");
      verdicts.getSideOutput(RiskGovernor.FILLS).sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), Fill.class,
              f -> Ticker.key(f.getExchange(), f.getBase(), f.getQuote()) + "|fill"))
          .uid("sink-relay-fills").name("Relay fills");
    }
    deadLetters.sinkTo(Connectors.kafkaSink(c, Topic.DEADLETTER, DeadLetter.class,
            d -> d.getSourceTopic().getBytes(StandardCharsets.UTF_8), "trading"))
        .uid(c.scope().io("sink-kafka-deadletter-trading")).name("Kafka " + Topic.DEADLETTER + " (trading)");
  }

  /** See {@link NeverIdle}: a quiet stretch of this path must not let the others run ahead of it. */
  private static <T> DataStream<T> keptActive(DataStream<T> in, TypeInformation<T> type, String name) {
    return in.transform("keep " + name + " active", type, new NeverIdle<>()).uid("trading-active-" + name);
  }

  /** Kafka (exactly once) and, with a catalog, the Iceberg table. */
  private static <T extends SpecificRecordBase> void land(DataStream<T> events, Topic topic, Class<T> type,
      TableDefinition table, MarketDataJobConfig c, KeyOf<T> key) {
    String name = table.identifier().name();
    events.sinkTo(Connectors.kafkaSink(c, topic, type, (SerializationSchema<T>) e ->
            key.of(e).getBytes(StandardCharsets.UTF_8)))
        .uid(c.scope().io("sink-kafka-" + topic.topicName())).name("Kafka " + topic.topicName());
    if (c.catalog() != null) {
      Connectors.appendToLake(events.map(new RecordRows<>(table, type), Connectors.rowType(table))
          .uid("rows-trading-" + name).name("rows " + table.identifier()), table, c, "trading-" + name, List.of());
    }
  }

  @FunctionalInterface
  private interface KeyOf<T> extends java.io.Serializable {
    String of(T event);
  }

  private static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> decoded(
      StreamExecutionEnvironment env, MarketDataJobConfig c, Topic topic, Class<T> type, String name,
      WatermarkStrategy<T> time) {
    return env.fromSource(
            Connectors.kafkaSource(c, topic.topicName(), GROUP_ID + "-" + name,
                new SourceRecordDeserializer(payload -> Long.MIN_VALUE)),
            WatermarkStrategy.<SourceRecord>noWatermarks(), "Kafka " + topic.topicName() + " (trading)")
        .uid(c.scope().io("trading-source-" + name))
        .process(new EventDecoder<>(type, "trading-decode-" + name)).uid("trading-decode-" + name)
        .name("decode " + name)
        .assignTimestampsAndWatermarks(time).uid("trading-time-" + name).name(name + " time");
  }
}
