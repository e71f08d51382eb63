package dev.tickflow.jobs.marketdata;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.jobs.feedhealth.FeedHealthAnnotator;
import dev.tickflow.jobs.feedhealth.FeedSignal;
import dev.tickflow.jobs.detector.DetectorConfigs;
import dev.tickflow.jobs.history.HistoryJob;
import dev.tickflow.jobs.io.Connectors;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.NeverIdle;
import dev.tickflow.jobs.io.RecordPlacedWatermarks;
import dev.tickflow.jobs.io.RelaySink;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.io.SourceRecordDeserializer;
import dev.tickflow.jobs.lake.LakeRows;
import dev.tickflow.jobs.patterns.PatternSpecs;
import dev.tickflow.jobs.signals.SignalJob;
import dev.tickflow.jobs.trading.TradingConfig;
import dev.tickflow.jobs.trading.TradingJob;
import dev.tickflow.relay.cli.DurationConverter;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.EventSerializationSchema;
import dev.tickflow.schemas.flink.EventTypeInfo;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The market-data job: raw trades from Kafka, validated, deduplicated, aggregated into candles; trades and
 * candles to Kafka and Iceberg, candle updates to the relay, rejects to the dead-letter topic.
 *
 * <pre>
 * market_data.raw ─▶ TradeNormalizer ─▶ TickDeduplicator ─┬─▶ Kafka market_data.trades, Iceberg market.trades
 *                        │                               └─▶ CandleAggregator 1m ─▶ FeedHealthAnnotator ─▶ CandleRollup 5m ─▶ 15m ─▶ 1h ─▶ 4h ─▶ 1d
 *                        └─ heartbeats, gaps (in line with the trades) ────────┘
 *                        │                                        │ every timeframe: ─┬─▶ relay TICKER|ohlc:<tf> (provisional + final)
 *                        └──────────── dead letters ◀─────────────┤ (too late)        ├─▶ Kafka market_data.ohlc (final, revisions)
 *                                          ▼                      │                   ├─▶ Iceberg market.ohlc (latest revision per bar)
 *                                   Kafka deadletter                                  └─▶ Iceberg market.ohlc_revisions (every revision)
 * gaps (from TradeNormalizer) ─▶ Iceberg market.gaps
 * market_data.quotes ─▶ QuoteNormalizer ─┬─▶ Iceberg market.quotes, relay TICKER|quote
 *                                        └─▶ dead letters
 * </pre>
 *
 * Exactly once into Kafka (transactions committed on checkpoints; read with read_committed) and Iceberg
 * (commits on checkpoints, de-duplicated by checkpoint id on recovery). The relay is best effort: updates are
 * dropped, and counted, while it is down. Operator uids are fixed so that savepoints survive upgrades.
 */
public final class MarketDataJob {

  /** The job's name on a cluster (web UI, {@code tickflow jobs list}). */
  public static final String JOB_NAME = "tickflow market data";

  private MarketDataJob() {}

  /** Adds the job's pipeline to {@code env} (creating missing Iceberg tables first). */
  public static void build(StreamExecutionEnvironment env, MarketDataJobConfig c) {
    configure(env, c);
    buildPipeline(env, c);
  }

  /**
   * The job's execution settings: state backend, exactly-once checkpoints (also the commit cadence), parallelism,
   * and tickflow's serializer for its events ({@link EventTypeInfo}: Avro's bytes without Flink's copy of each
   * record between chained operators).
   */
  public static void configure(StreamExecutionEnvironment env, MarketDataJobConfig c) {
    EventTypeInfo.register();
    Configuration jobConfig = new Configuration();
    jobConfig.set(StateBackendOptions.STATE_BACKEND, c.stateBackend().flinkName());
    if (c.checkpointDir() != null) {
      jobConfig.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, c.checkpointDir());
    }
    env.configure(jobConfig);
    env.enableCheckpointing(c.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.setParallelism(c.parallelism());
    env.setBufferTimeout(c.bufferTimeout().toMillis());
  }

  private static void buildPipeline(StreamExecutionEnvironment env, MarketDataJobConfig c) {
    KafkaSource<SourceRecord> source = Connectors.kafkaSource(c, c.rawTopic(), c.groupId(),
        new SourceRecordDeserializer(RawTradeEventTime.INSTANCE));
    // Per-partition watermarks from the event-time header tickflow ingestors set (RecordHeaders), placed by the
    // records themselves so that a replay sees them where the live run did. Idleness is the one wall-clock rule,
    // and it lives in the source: a quiet partition must not hold every ticker back.
    Duration outOfOrderness = c.outOfOrderness(); // the lambda must not capture the whole config
    Duration step = c.watermarkStep();
    WatermarkStrategy<SourceRecord> watermarks = WatermarkStrategy
        .<SourceRecord>forGenerator(ctx -> new RecordPlacedWatermarks<>(outOfOrderness, step))
        .withTimestampAssigner(new PlausibleEventTime())
        .withIdleness(c.idleness());

    DataStream<SourceRecord> raw = env.fromSource(source, watermarks, "Kafka " + c.rawTopic())
        .uid(c.scope().io("source-market-data-raw"));

    CandleGraph graph = candleGraph(raw, c);
    DataStream<Trade> unique = graph.trades();
    DataStream<Candle> candles = graph.candles();
    DataStream<Candle> finals = graph.finalCandles();
    DataStream<DeadLetter> deadLetters = graph.deadLetters();

    SingleOutputStreamOperator<Quote> quotes = null;
    if (c.readsQuotes()) {
      // Quotes feed no event-time operator: no watermarks, and the payload's time is never needed to place one.
      KafkaSource<SourceRecord> quoteSource = Connectors.kafkaSource(c, c.quotesTopic(), c.groupId() + "-quotes",
          new SourceRecordDeserializer(payload -> Long.MIN_VALUE));
      quotes = env.fromSource(quoteSource, WatermarkStrategy.noWatermarks(), "Kafka " + c.quotesTopic())
          .uid(c.scope().io("source-market-data-quotes"))
          .process(new QuoteNormalizer()).uid("quote-normalizer").name("QuoteNormalizer");
      deadLetters = deadLetters.union(quotes.getSideOutput(DeadLetters.TAG));
    }

    unique.sinkTo(Connectors.kafkaSink(c, Topic.MARKET_DATA_TRADES, Trade.class,
            t -> Ticker.key(t.getExchange(), t.getBase(), t.getQuote()).getBytes(StandardCharsets.UTF_8)))
        .uid(c.scope().io("sink-kafka-trades")).name("Kafka " + Topic.MARKET_DATA_TRADES);
    finals.sinkTo(Connectors.kafkaSink(c, Topic.MARKET_DATA_OHLC, Candle.class, MarketDataJob::candleKey))
        .uid(c.scope().io("sink-kafka-ohlc")).name("Kafka " + Topic.MARKET_DATA_OHLC);
    deadLetters.sinkTo(Connectors.kafkaSink(c, Topic.DEADLETTER, DeadLetter.class,
            d -> d.getSourceTopic().getBytes(StandardCharsets.UTF_8)))
        .uid(c.scope().io("sink-kafka-deadletter")).name("Kafka " + Topic.DEADLETTER);

    if (c.catalog() != null) {
      Connectors.ensureTables(c, MarketTables.ALL);
      Connectors.appendToLake(unique.map(new LakeRows.TradeRow(), Connectors.rowType(MarketTables.TRADES)).uid("rows-trades")
          .name("rows " + MarketTables.TRADES.identifier()), MarketTables.TRADES, c, "trades", List.of());
      Connectors.appendToLake(finals.flatMap(new LakeRows.CandleChange(), Connectors.rowType(MarketTables.OHLC)).uid("rows-ohlc")
          .name("rows " + MarketTables.OHLC.identifier()), MarketTables.OHLC, c, "ohlc", MarketTables.OHLC_KEY);
      Connectors.appendToLake(finals.map(new LakeRows.CandleRow(), Connectors.rowType(MarketTables.OHLC_REVISIONS)).uid("rows-ohlc-revisions")
          .name("rows " + MarketTables.OHLC_REVISIONS.identifier()), MarketTables.OHLC_REVISIONS, c, "ohlc-revisions",
          List.of());
      Connectors.appendToLake(graph.gaps().map(new LakeRows.GapRow(), Connectors.rowType(MarketTables.GAPS)).uid("rows-gaps")
          .name("rows " + MarketTables.GAPS.identifier()), MarketTables.GAPS, c, "gaps", List.of());
      if (quotes != null) {
        Connectors.appendToLake(quotes.map(new LakeRows.QuoteRow(), Connectors.rowType(MarketTables.QUOTES)).uid("rows-quotes")
            .name("rows " + MarketTables.QUOTES.identifier()), MarketTables.QUOTES, c, "quotes", List.of());
      }
    }
    if (c.relayIngress() != null) {
      candles.sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), Candle.class, MarketDataJob::relayTopic))
          .uid("sink-relay-ohlc").name("Relay ohlc");
      if (quotes != null) {
        quotes.sinkTo(new RelaySink<>(c.relayIngress(), c.relayCurve(), Quote.class,
                q -> Ticker.key(q.getExchange(), q.getBase(), q.getQuote()) + "|quote"))
            .uid("sink-relay-quotes").name("Relay quotes");
      }
    }
  }

  /**
   * The job as it runs on a cluster and in the local stack: {@link #build the market-data graph}, the signal
   * pipeline ({@link SignalJob}: detectors over the committed candles) and, when there is a lake and a relay, the
   * history pipeline. One job: one slot plan, one checkpoint cadence driving every Iceberg commit, Kafka
   * transaction and history announcement.
   */
  public static void buildAll(StreamExecutionEnvironment env, MarketDataJobConfig c) {
    build(env, c);
    SignalJob.Streams signals = SignalJob.addTo(env, c,
        c.detectorsDir() == null ? List.of() : DetectorConfigs.loadDir(Path.of(c.detectorsDir())),
        c.patternsFile() == null ? PatternSpecs.defaults() : PatternSpecs.load(Path.of(c.patternsFile())));
    TradingJob.addTo(env, c, c.tradingFile() == null ? TradingConfig.defaults()
        : TradingConfig.load(Path.of(c.tradingFile())), signals.signals(), signals.candles());
    if (c.catalog() != null && c.relayIngress() != null) {
      HistoryJob.addTo(env, c.bootstrapServers(), c.catalog(), c.relayIngress(), c.relayCurve(),
          HistoryJob.ANNOUNCE_TIMEOUT);
    }
  }

  /**
   * The operators every run shares, live or bounded: validated unique trades, candles at every timeframe
   * (provisional updates, final bars and their revisions), the final ones alone, and rejects.
   */
  public record CandleGraph(DataStream<Trade> trades, DataStream<Candle> candles, DataStream<Candle> finalCandles,
      DataStream<DeadLetter> deadLetters, DataStream<FeedGap> gaps) {}

  /**
   * Normalizer, deduplicator, the base-timeframe aggregator, the feed-health judge and the rollups to every
   * coarser timeframe, with fixed uids. {@code tickflow ohlc} runs exactly this over a file (which has no
   * heartbeats, so its bars' health is UNKNOWN). Heartbeats and gaps come in the raw stream with the trades, so
   * they share the trades' partitions and watermarks: the health judge never waits on a second source.
   */
  public static CandleGraph candleGraph(DataStream<SourceRecord> raw, MarketDataJobConfig c) {
    Timeframe tf = c.timeframe();
    SingleOutputStreamOperator<Trade> trades = raw.process(new TradeNormalizer())
        .uid("trade-normalizer").name("TradeNormalizer");
    // Trades fetched to answer a history request are old by design: the deduplicator's id window and the
    // candles' lateness would drop them. The history job writes them (jobs/history).
    DataStream<Trade> live = trades.filter(t -> t.getHistoryRequestId() == null).uid("live-trades")
        .name("live trades");
    SingleOutputStreamOperator<Trade> unique = live.keyBy(tradeTicker(), Types.STRING)
        .process(new TickDeduplicator(c.dedupWindow(), c.textIdRetention().toMillis()))
        .uid("tick-deduplicator").name("TickDeduplicator");
    // The deduplicator's output is already partitioned by ticker: the aggregator chains to it instead of taking
    // every trade across a second network exchange (serialized, buffered, deserialized) to the same subtask.
    SingleOutputStreamOperator<Candle> base = sameTicker(unique, tradeTicker())
        .process(new CandleAggregator(tf, c.allowedLateness(), c.provisionalInterval()))
        .uid("candle-aggregator-" + tf.label()).name("CandleAggregator " + tf.label());
    DataStream<DeadLetter> deadLetters = trades.getSideOutput(DeadLetters.TAG)
        .union(base.getSideOutput(DeadLetters.TAG));
    DataStream<FeedSignal> signals = trades.getSideOutput(FeedSignal.TAG);
    // The feed signals reach the judge straight from the normalizer, the candles through the aggregator: were the
    // candle path to report idle while the aggregator catches up after a burst, the judge's watermark would follow
    // the signals alone, run ahead of the candles still coming, and every rollup would drop them as late (an audit
    // replay found 5m to 4h bars missing from a live run that way). Kept active, the candles gate the judge.
    // The candles' exchange flushes sooner than the trades': it carries a trickle beside them (a provisional update
    // per bar every provisional interval, the finals), so a short timeout costs few extra buffers, and every update
    // to the relay waits on it.
    DataStream<Candle> activeBase = base.transform("keep candles active", FlinkTypes.of(Candle.class),
        new NeverIdle<>()).uid("candles-active-" + tf.label())
        .setBufferTimeout(candleBufferTimeout(c.bufferTimeout()).toMillis());
    base = activeBase.keyBy(candleTicker(), Types.STRING)
        .connect(signals.keyBy(s -> s.ticker, Types.STRING))
        .process(new FeedHealthAnnotator(tf, c.heartbeatTimeout(), c.allowedLateness()))
        .uid("feed-health-" + tf.label()).name("FeedHealthAnnotator " + tf.label());
    // Coarser timeframes roll up from the next finer one (1m -> 5m -> 15m -> 1h -> 4h -> 1d), never from trades.
    // Each rollup forwards what it receives, so the last one's output is every timeframe, and the relay, Kafka and
    // lake sinks chain to it: no union, whose consumer would be a task of its own behind one more network exchange.
    SingleOutputStreamOperator<Candle> candles = base;
    Timeframe finerTf = tf;
    for (Timeframe coarser : Timeframe.values()) {
      if (coarser.millis() <= finerTf.millis() || coarser.millis() % finerTf.millis() != 0) {
        continue;
      }
      candles = sameTicker(candles, candleTicker())
          .process(new CandleRollup(finerTf, coarser, c.allowedLateness(), true))
          .uid("candle-rollup-" + coarser.label()).name("CandleRollup " + coarser.label());
      deadLetters = deadLetters.union(candles.getSideOutput(DeadLetters.TAG));
      finerTf = coarser;
    }
    DataStream<Candle> finals = candles.filter(Candle::getIsFinal).uid("final-candles").name("final candles");
    return new CandleGraph(unique, candles, finals, deadLetters, trades.getSideOutput(TradeNormalizer.GAPS));
  }

  /** The buffer timeout of the exchange from the base aggregator to the feed-health judge: at most 1 ms. */
  static Duration candleBufferTimeout(Duration bufferTimeout) {
    Duration most = Duration.ofMillis(1);
    return bufferTimeout.compareTo(most) < 0 ? bufferTimeout : most;
  }

  /**
   * {@code stream}, emitted by a keyed operator of this job keyed by ticker, as the keyed stream it already is:
   * each record is on the subtask that owns its ticker's key group, so the next keyed operator chains to it.
   */
  private static <T> KeyedStream<T, String> sameTicker(DataStream<T> stream, KeySelector<T, String> ticker) {
    return DataStreamUtils.reinterpretAsKeyedStream(stream, ticker, Types.STRING);
  }

  /** {@code BINANCE:XRP/ETH|ohlc:1m}. */
  public static String relayTopic(Candle c) {
    return Ticker.key(c.getExchange(), c.getBase(), c.getQuote()) + "|ohlc:" + c.getTimeframe();
  }

  private static KeySelector<Trade, String> tradeTicker() {
    return t -> Ticker.key(t.getExchange(), t.getBase(), t.getQuote());
  }

  private static KeySelector<Candle, String> candleTicker() {
    return c -> Ticker.key(c.getExchange(), c.getBase(), c.getQuote());
  }

  private static byte[] candleKey(Candle c) {
    return Ticker.key(c.getExchange(), c.getBase(), c.getQuote()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The job's entry point on a cluster. It never calls {@code System.exit}: a session cluster runs this main inside
   * its JobManager (REST jar run), where an exit would end the JobManager. Wrong arguments print what is wrong
   * and the usage, then fail the submission with that message.
   */
  public static void main(String[] args) throws Exception {
    CommandLine cmd = new CommandLine(new Cli());
    try {
      cmd.parseArgs(args);
      if (CommandLine.printHelpIfRequested(cmd.getParseResult())) {
        return;
      }
      ((Cli) cmd.getCommand()).call();
    } catch (ParameterException e) {
      System.err.println("market-data-job: " + e.getMessage());
      e.getCommandLine().usage(System.err);
      throw new IllegalArgumentException("market-data-job: " + e.getMessage(), e);
    }
  }

  @Command(name = "market-data-job", mixinStandardHelpOptions = true,
      description = "Submit the tickflow market-data job to the Flink cluster this runs on.")
  public static final class Cli implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
        description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--catalog", paramLabel = "FILE",
        description = "Iceberg catalog properties (as tickflow up writes to <data-dir>/catalog.properties). Without it, no lake output.")
    Path catalog;

    @Option(names = "--quotes-topic", defaultValue = "market_data.quotes",
        description = "Topic of the ingestors' quotes, kept in market.quotes and relayed as TICKER|quote; '' for none "
            + "(default: ${DEFAULT-VALUE}).")
    String quotesTopic;

    @Option(names = "--relay-ingress", description = "Relay ingress endpoint, e.g. tcp://relay:5557. Without it, no relay output.")
    String relayIngress;

    @Option(names = "--relay-curve-server-key", paramLabel = "KEY",
        defaultValue = "${env:TICKFLOW_RELAY_CURVE_SERVER_KEY}",
        description = "The relay's CURVE public key, for a relay with CURVE on; needs --relay-curve-keys.")
    String relayCurveServerKey;

    @Option(names = "--relay-curve-keys", paramLabel = "FILE", defaultValue = "${env:TICKFLOW_RELAY_CURVE_KEYS}",
        description = "This job's CURVE key pair (tickflow relay keygen), a path every task manager can read; its "
            + "public key must be on the relay's allow-list.")
    String relayCurveKeys;

    @Option(names = "--detectors", paramLabel = "DIR",
        description = "Detector configs (*.yaml, *.yml, *.json) to run from the start; more can be deployed while "
            + "the job runs (tickflow detector deploy).")
    String detectors;

    @Option(names = "--patterns", paramLabel = "FILE",
        description = "CEP patterns (YAML or JSON, 'patterns:' then a list); default: the bundled ones, one of each type.")
    String patterns;

    @Option(names = "--trading", paramLabel = "FILE",
        description = "Advisor, risk limits and paper venue settings (YAML or JSON; docs/trading.example.yaml); "
            + "default: the built-in defaults.")
    String trading;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", description = "Also the Iceberg commit cadence (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
        description = "Checkpoint storage, e.g. s3://bucket/checkpoints (default: the cluster's execution.checkpointing.dir).")
    String checkpointDir;

    @Option(names = "--state-backend", defaultValue = "hashmap",
        description = "hashmap (state on the heap) or rocksdb (large state) (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--allowed-lateness", defaultValue = "2m",
        description = "How long after a bar's end a late trade still revises it; later ones are dead-lettered (default: ${DEFAULT-VALUE}).")
    String allowedLateness;

    @Option(names = "--provisional-interval", defaultValue = "250ms",
        description = "Event time between provisional updates of an open bar to the relay; 0ms for none (default: ${DEFAULT-VALUE}).")
    String provisionalInterval;

    @Option(names = "--out-of-orderness", defaultValue = "2s",
        description = "How far each partition's watermark trails its newest trade (default: ${DEFAULT-VALUE}).")
    String outOfOrderness;

    @Option(names = "--watermark-step", defaultValue = "100ms",
        description = "Trade-time watermarks move in whole steps of this; it must divide a minute, and an audit replay "
            + "must use the live run's (default: ${DEFAULT-VALUE}).")
    String watermarkStep;

    @Option(names = "--buffer-timeout", paramLabel = "DURATION", defaultValue = "5ms",
        description = "Longest a partly filled network buffer of trades waits before it is sent: lower for less "
            + "latency to the relay, at some CPU; Flink's own default is 100ms. Candles flush within 1ms "
            + "(default: ${DEFAULT-VALUE}).")
    String bufferTimeout;

    @Option(names = "--idleness", defaultValue = "30s",
        description = "A partition without records this long stops holding the watermark back (default: ${DEFAULT-VALUE}).")
    String idleness;

    @Option(names = "--heartbeat-timeout", defaultValue = "15s",
        description = "Longest silence between a feed's heartbeats before its bars are DEGRADED (default: ${DEFAULT-VALUE}).")
    String heartbeatTimeout;

    @Option(names = "--parallelism", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    int parallelism;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      MarketDataJobConfig config;
      try {
        config = MarketDataJobConfig.builder(bootstrapServers)
            .catalog(catalog == null ? null : CatalogConfig.load(catalog))
            .relayIngress(relayIngress)
            .relayCurve(CurveClientKeys.of(relayCurveServerKey, relayCurveKeys, "--relay-curve-server-key",
                "--relay-curve-keys"))
            .quotesTopic(quotesTopic)
            .detectorsDir(detectors)
            .patternsFile(patterns)
            .tradingFile(trading)
            .checkpointInterval(DurationConverter.parse(checkpointInterval))
            .checkpointDir(checkpointDir)
            .stateBackend(MarketDataJobConfig.StateBackend.parse(stateBackend))
            .allowedLateness(DurationConverter.parse(allowedLateness))
            .provisionalInterval(DurationConverter.parse(provisionalInterval))
            .outOfOrderness(DurationConverter.parse(outOfOrderness))
            .idleness(DurationConverter.parse(idleness))
            .watermarkStep(DurationConverter.parse(watermarkStep))
            .bufferTimeout(DurationConverter.parse(bufferTimeout))
            .heartbeatTimeout(DurationConverter.parse(heartbeatTimeout))
            .parallelism(parallelism)
            .build();
        if (patterns != null) {
          PatternSpecs.load(Path.of(patterns));
        }
        if (trading != null) {
          TradingConfig.load(Path.of(trading)); // refuse a bad trading config before submitting
        }
        if (detectors != null) {
          DetectorConfigs.loadDir(Path.of(detectors)); // refuse bad start-up detectors before submitting
        }
      } catch (IllegalArgumentException | CommandLine.TypeConversionException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      buildAll(env, config);
      env.execute(JOB_NAME);
      return 0;
    }
  }
}
