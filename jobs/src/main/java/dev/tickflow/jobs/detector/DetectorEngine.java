package dev.tickflow.jobs.detector;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.DetectorAction;
import dev.tickflow.schemas.event.DetectorConfigChange;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every detector instance over the final candles of one ticker and timeframe (the key). Instances come from
 * the job's start-up configs and from {@link DetectorConfigChange}s broadcast while it runs: a new version replaces
 * the old one and starts its state afresh; an invalid config is refused (dead letter with every reason) and the
 * running version goes on; REMOVE stops an instance. An instance that fails on a bar is paused on that ticker
 * (dead letter with the error) until a new version is deployed; the other instances go on.
 *
 * <p>Instances with a {@code pattern} rule also read the CEP alerts that come on the keyed side: such an instance
 * judges a bar on an event-time timer at its close, when the watermark guarantees every alert up to the bar has
 * arrived (CEP emits a match before it forwards the watermark past it). The others judge a bar as it arrives.
 */
public final class DetectorEngine
    extends KeyedBroadcastProcessFunction<String, DetectorInput, DetectorConfigChange, Signal> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(DetectorEngine.class);

  /** Changes received while running, by detector id (the latest one wins; REMOVE included). */
  public static final MapStateDescriptor<String, DetectorConfigChange> CHANGES = new MapStateDescriptor<>(
      "detector-changes", Types.STRING, FlinkTypes.of(DetectorConfigChange.class));
  private static final MapStateDescriptor<String, byte[]> INSTANCES = new MapStateDescriptor<>(
      "detector-instances", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

  private static final MapStateDescriptor<String, List<Long>> ALERTS = new MapStateDescriptor<>(
      "detector-pattern-alerts", Types.STRING, Types.LIST(Types.LONG));
  private static final MapStateDescriptor<Long, List<Candle>> AWAITING = new MapStateDescriptor<>(
      "detector-bars-awaiting-alerts", Types.LONG, Types.LIST(FlinkTypes.of(Candle.class)));
  private static final long ALERT_MEMORY_MILLIS = java.time.Duration.ofDays(1).toMillis();
  /** The newest bar close judged for pattern rules on this key: an alert at or before it came too late. */
  private static final ValueStateDescriptor<Long> JUDGED_THROUGH = new ValueStateDescriptor<>(
      "detector-pattern-bars-judged-through", Types.LONG);

  private final List<DetectorConfig> startup;

  private transient MapState<String, byte[]> instances;
  private transient MapState<String, List<Long>> alerts;
  private transient MapState<Long, List<Candle>> awaiting;
  private transient ValueState<Long> judgedThrough;
  private transient Counter lateAlerts;
  private transient Map<String, DetectorConfig> parsed;
  private transient Counter signals;
  private transient Counter failures;
  private transient Counter refused;
  private transient volatile int liveInstances;

  /** @param startup instances to run from the start (a change on the topic replaces or removes them) */
  public DetectorEngine(List<DetectorConfig> startup) {
    this.startup = List.copyOf(startup);
  }

  @Override
  public void open(OpenContext openContext) {
    instances = getRuntimeContext().getMapState(INSTANCES);
    alerts = getRuntimeContext().getMapState(ALERTS);
    awaiting = getRuntimeContext().getMapState(AWAITING);
    judgedThrough = getRuntimeContext().getState(JUDGED_THROUGH);
    lateAlerts = getRuntimeContext().getMetricGroup().counter("detectorLateAlerts");
    parsed = new HashMap<>();
    signals = getRuntimeContext().getMetricGroup().counter("detectorSignals");
    failures = getRuntimeContext().getMetricGroup().counter("detectorFailures");
    refused = getRuntimeContext().getMetricGroup().counter("detectorConfigsRefused");
    liveInstances = startup.size();
    getRuntimeContext().getMetricGroup().gauge("detectorInstances", (org.apache.flink.metrics.Gauge<Integer>)
        () -> liveInstances);
  }

  @Override
  public void processElement(DetectorInput input, ReadOnlyContext ctx, Collector<Signal> out) throws Exception {
    if (input.alert != null) {
      remember(input.alert);
      return;
    }
    Candle candle = input.candle;
    if (!candle.getIsFinal()) {
      return; // rules judge closed bars only
    }
    boolean awaitAlerts = false;
    for (DetectorConfig config : watching(ctx.getBroadcastState(CHANGES), candle)) {
      if (config.usesPatterns()) {
        awaitAlerts = true;
      } else {
        judge(config, candle, PatternMatches.NONE, ctx, out);
      }
    }
    if (awaitAlerts) {
      // alerts for this bar come from CEP once the watermark passes the bar's close: judge it then
      long close = candle.getCloseTime().toEpochMilli();
      List<Candle> due = awaiting.get(close);
      List<Candle> list = due == null ? new ArrayList<>() : new ArrayList<>(due);
      list.add(candle);
      awaiting.put(close, list);
      ctx.timerService().registerEventTimeTimer(close);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Signal> out) throws Exception {
    List<Candle> due = awaiting.get(timestamp);
    awaiting.remove(timestamp);
    if (due != null) {
      Long judged = judgedThrough.value();
      if (judged == null || timestamp > judged) {
        judgedThrough.update(timestamp);
      }
      PatternMatches matches = this::matched;
      for (Candle candle : due) {
        for (DetectorConfig config : watching(ctx.getBroadcastState(CHANGES), candle)) {
          if (config.usesPatterns()) {
            judge(config, candle, matches, ctx, out);
          }
        }
      }
    }
    // alerts older than a day cannot be asked about any more (a rule looks back a few bars)
    List<String> patterns = new ArrayList<>();
    alerts.keys().forEach(patterns::add);
    for (String pattern : patterns) {
      List<Long> kept = alerts.get(pattern).stream().filter(t -> t > timestamp - ALERT_MEMORY_MILLIS).toList();
      if (kept.isEmpty()) {
        alerts.remove(pattern);
      } else {
        alerts.put(pattern, new ArrayList<>(kept));
      }
    }
  }

  private void remember(PatternAlert alert) throws Exception {
    Long judged = judgedThrough.value();
    if (judged != null && alert.getEventTime().toEpochMilli() <= judged) {
      // the watermark should make this impossible (CEP emits an alert before it forwards the watermark past
      // it); counted and said, because a pattern rule judged without it and a replay may judge otherwise
      lateAlerts.inc();
      LOG.warn("alert {} ({} at {}) arrived after the bars up to {} were judged for pattern rules",
          alert.getAlertId(), alert.getPattern(), alert.getEventTime(), java.time.Instant.ofEpochMilli(judged));
    }
    List<Long> times = alerts.get(alert.getPattern());
    List<Long> list = times == null ? new ArrayList<>() : new ArrayList<>(times);
    list.add(alert.getEventTime().toEpochMilli());
    alerts.put(alert.getPattern(), list);
  }

  private boolean matched(String pattern, long fromExclusive, long toInclusive) {
    try {
      List<Long> times = alerts.get(pattern);
      return times != null && times.stream().anyMatch(t -> t > fromExclusive && t <= toInclusive);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read alert state: " + e, e);
    }
  }

  /** The live instances that watch this candle's ticker and timeframe, in id order. */
  private List<DetectorConfig> watching(ReadOnlyBroadcastState<String, DetectorConfigChange> changes, Candle candle)
      throws Exception {
    String ticker = Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote());
    List<DetectorConfig> out = new ArrayList<>();
    for (DetectorConfig config : live(changes).values()) {
      if (config.watches(ticker) && config.timeframe().label().equals(candle.getTimeframe())) {
        out.add(config);
      }
    }
    return out;
  }

  /** One bar through one instance, its state read and written back; a failure pauses it on this ticker. */
  private void judge(DetectorConfig config, Candle candle, PatternMatches matches, ReadOnlyContext ctx,
      Collector<Signal> out) throws Exception {
    String ticker = Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote());
    byte[] stored = instances.get(config.id());
    DetectorState state = stored == null ? null : DetectorState.fromBytes(stored);
    if (state == null || state.version != config.version()) {
      if (stored != null && state == null) {
        LOG.warn("{} on {}: state from an earlier build is unreadable; starting afresh", config.name(), ticker);
      }
      state = DetectorState.fresh(config);
    }
    if (state.pausedReason != null) {
      return;
    }
    try {
      Optional<Signal> signal = DetectorEvaluator.evaluate(config, state, candle, matches);
      if (signal.isPresent()) {
        out.collect(signal.get());
        signals.inc();
      }
    } catch (RuntimeException e) {
      state.pausedReason = e.toString();
      failures.inc();
      LOG.warn("{} failed on {} {} bar {}, paused there until a new version: {}", config.name(), ticker,
          candle.getTimeframe(), candle.getOpenTime(), e.toString());
      ctx.output(DeadLetters.TAG, failure(candle, config, e));
    }
    instances.put(config.id(), state.toBytes());
  }

  @Override
  public void processBroadcastElement(DetectorConfigChange change, Context ctx, Collector<Signal> out)
      throws Exception {
    BroadcastState<String, DetectorConfigChange> changes = ctx.getBroadcastState(CHANGES);
    DetectorConfig running = live(changes).get(change.getDetectorId());
    if (change.getAction() == DetectorAction.REMOVE) {
      changes.put(change.getDetectorId(), change);
      ctx.applyToKeyedState(INSTANCES, (key, state) -> state.remove(change.getDetectorId()));
      liveInstances = live(changes).size();
      LOG.info("detector {} removed", change.getDetectorId());
      return;
    }
    DetectorConfig config;
    try {
      config = DetectorConfigs.parse(change.getConfig());
      if (!config.id().equals(change.getDetectorId()) || config.version() != change.getVersion()) {
        throw new InvalidDetectorConfigException("detector config", List.of("the change names " + change.getDetectorId()
            + "@" + change.getVersion() + " but its config is " + config.name()));
      }
      if (running != null && config.version() < running.version()) {
        throw new InvalidDetectorConfigException("detector config", List.of("version " + config.version()
            + " is older than the running " + running.name()));
      }
      if (running != null && config.version() == running.version() && !config.source().equals(running.source())) {
        throw new InvalidDetectorConfigException("detector config", List.of(running.name()
            + " already runs with a different config; deploy it as a new version"));
      }
    } catch (IllegalArgumentException e) {
      refused.inc();
      LOG.warn("detector {}@{} refused, {} keeps running: {}", change.getDetectorId(), change.getVersion(),
          running == null ? "nothing" : running.name(), e.getMessage());
      ctx.output(DeadLetters.TAG, refusal(change, e.getMessage()));
      return;
    }
    if (running != null && running.version() == config.version()) {
      return; // the same config again (a replayed topic): nothing changes
    }
    changes.put(change.getDetectorId(), change);
    ctx.applyToKeyedState(INSTANCES, (key, state) -> state.remove(change.getDetectorId()));
    liveInstances = live(changes).size();
    LOG.info("detector {} deployed{}", config.name(), running == null ? "" : ", replacing " + running.name());
  }

  /** Alerts that reached this subtask after the bars they belong to were judged (see {@link #remember}). */
  long lateAlerts() {
    return lateAlerts.getCount();
  }

  /** The running instances by id, in id order (the order signals of one bar come out in). */
  private Map<String, DetectorConfig> live(ReadOnlyBroadcastState<String, DetectorConfigChange> changes)
      throws Exception {
    Map<String, DetectorConfig> live = new TreeMap<>();
    for (DetectorConfig c : startup) {
      live.put(c.id(), c);
    }
    for (Map.Entry<String, DetectorConfigChange> e : changes.immutableEntries()) {
      DetectorConfigChange change = e.getValue();
      if (change.getAction() == DetectorAction.REMOVE) {
        live.remove(e.getKey());
      } else {
        live.put(e.getKey(), parsed.computeIfAbsent(e.getKey() + "@" + change.getVersion(),
            k -> DetectorConfigs.parse(change.getConfig())));
      }
    }
    return live;
  }

  private static DeadLetter failure(Candle candle, DetectorConfig config, RuntimeException e) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(EventTypes.codec(Candle.class).encode(candle)))
        .setKey(ByteBuffer.wrap(Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote())
            .getBytes(StandardCharsets.UTF_8)))
        .setReason(config.name() + " failed and is paused on this ticker until a new version: " + e)
        .setErrorType("DETECTOR_FAILED")
        .setStage("detector")
        .setSourceTopic(candle.getSource().getTopic())
        .setSourcePartition(candle.getSource().getPartition())
        .setSourceOffset(candle.getSource().getToOffset())
        .setEventTime(candle.getCloseTime())
        .setIngestTime(candle.getIngestTime())
        .build();
  }

  private static DeadLetter refusal(DetectorConfigChange change, String reason) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(EventTypes.codec(DetectorConfigChange.class).encode(change)))
        .setKey(ByteBuffer.wrap(change.getDetectorId().getBytes(StandardCharsets.UTF_8)))
        .setReason(reason)
        .setErrorType("INVALID_DETECTOR_CONFIG")
        .setStage("detector-deploy")
        .setSourceTopic(dev.tickflow.schemas.Topic.SIGNALS_DETECTORS.topicName())
        .setSourcePartition(-1)
        .setSourceOffset(-1L)
        .setEventTime(change.getEventTime())
        .setIngestTime(change.getIngestTime())
        .build();
  }
}
