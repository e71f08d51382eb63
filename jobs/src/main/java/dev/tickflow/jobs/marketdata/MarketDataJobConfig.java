package dev.tickflow.jobs.marketdata;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.Topic;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything the market-data job is configured by, with defaults. The command line
 * ({@link MarketDataJob#main}), the local stack and {@code tickflow ohlc} all build one of these.
 *
 * @param quotesTopic topic of the ingestors' top-of-book quotes, kept in {@code market.quotes} and relayed; empty:
 *     no quotes
 * @param catalog Iceberg catalog to write {@code market.trades} and {@code market.ohlc} to; null: no lake
 * @param relayIngress relay ingress endpoint for live candle updates; null: no relay
 * @param relayCurve CURVE keys for a relay with CURVE on (the key file is read on the task managers); null: plain
 * @param outOfOrderness how far behind the newest trade of a partition the watermark trails
 * @param idleness after this long without records a Kafka partition stops holding the watermark back
 * @param watermarkStep the trade-time watermarks move in whole steps of this (default 100 ms): each step still
 *     falls where the records place it, so replays see it at the same place, but Flink carries, compares and
 *     fires timers on one watermark per step instead of one per trade. A bar closes when the step past its end
 *     arrives; a trade is late by the stepped watermark. A replay must use the live run's step.
 * @param bufferTimeout how long Flink holds a partly filled network buffer before sending it (default 5 ms, where
 *     Flink's is 100 ms). A trade and then its candle cross two exchanges on the way to the relay: at Flink's
 *     default that alone put the median at 110 ms, at 5 ms it is 14 ms (bench/e2e relay-latency); 1 ms cost
 *     enough CPU to fall behind at 10,000 trades/s on two cores. It is the trades' exchange; the candles', a
 *     trickle beside them, flushes within 1 ms (or this, if shorter)
 * @param dedupWindow trade ids tracked individually below each ticker's high-water mark
 * @param allowedLateness how long after a bar's end a late trade still revises it (later: dead letter)
 * @param provisionalInterval event time between provisional updates of an open bar to the relay; zero: none
 * @param stateBackend where keyed state lives: on the heap (default) or in RocksDB for large state
 * @param checkpointDir checkpoint storage URI (file:// locally, s3:// on a cluster); null: the cluster's setting
 * @param patternsFile CEP patterns file; null: the bundled defaults
 * @param tradingFile decision pipeline settings (advisor, risk, paper); null: the defaults
 * @param detectorsDir directory of detector configs to run from the start; null: none (deploy them live)
 * @param heartbeatTimeout longest silence between a feed's heartbeats before the bars it spans are DEGRADED
 * @param scope live, or an audit run's bounded ranges and names ({@link RunScope})
 */
public record MarketDataJobConfig(
    String bootstrapServers,
    String groupId,
    String rawTopic,
    String quotesTopic,
    CatalogConfig catalog,
    String relayIngress,
    CurveClientKeys relayCurve,
    Timeframe timeframe,
    Duration checkpointInterval,
    Duration outOfOrderness,
    Duration idleness,
    Duration watermarkStep,
    Duration bufferTimeout,
    long dedupWindow,
    Duration textIdRetention,
    Duration allowedLateness,
    Duration provisionalInterval,
    StateBackend stateBackend,
    String checkpointDir,
    Duration heartbeatTimeout,
    String detectorsDir,
    String patternsFile,
    String tradingFile,
    int parallelism,
    RunScope scope) implements Serializable {

  /** Flink's two keyed state backends, by their configuration names. */
  public enum StateBackend {
    HASHMAP, ROCKSDB;

    public String flinkName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static StateBackend parse(String name) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "hashmap", "heap" -> HASHMAP;
        case "rocksdb" -> ROCKSDB;
        default -> throw new IllegalArgumentException("state backend '" + name + "' is not one of hashmap, rocksdb");
      };
    }
  }

  public MarketDataJobConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    groupId = groupId == null ? "tickflow-market-data" : groupId;
    rawTopic = rawTopic == null ? Topic.MARKET_DATA_RAW.topicName() : rawTopic;
    quotesTopic = quotesTopic == null ? Topic.MARKET_DATA_QUOTES.topicName() : quotesTopic.trim();
    timeframe = timeframe == null ? Timeframe.M1 : timeframe;
    checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(10) : checkpointInterval;
    outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(2) : outOfOrderness;
    idleness = idleness == null ? Duration.ofSeconds(30) : idleness;
    watermarkStep = watermarkStep == null ? Duration.ofMillis(100) : watermarkStep;
    if (watermarkStep.toMillis() < 1 || Timeframe.M1.millis() % watermarkStep.toMillis() != 0) {
      throw new IllegalArgumentException("watermark step " + watermarkStep.toMillis()
          + "ms must be at least 1 ms and divide a minute, so that steps fall on every bar's end");
    }
    bufferTimeout = bufferTimeout == null ? Duration.ofMillis(5) : bufferTimeout;
    if (bufferTimeout.isNegative()) {
      throw new IllegalArgumentException("buffer timeout cannot be negative");
    }
    dedupWindow = dedupWindow <= 0 ? 10_000 : dedupWindow;
    textIdRetention = textIdRetention == null ? Duration.ofHours(1) : textIdRetention;
    allowedLateness = allowedLateness == null ? Duration.ofMinutes(2) : allowedLateness;
    provisionalInterval = provisionalInterval == null ? Duration.ofMillis(250) : provisionalInterval;
    stateBackend = stateBackend == null ? StateBackend.HASHMAP : stateBackend;
    heartbeatTimeout = heartbeatTimeout == null ? Duration.ofSeconds(15) : heartbeatTimeout;
    parallelism = parallelism <= 0 ? 1 : parallelism;
    scope = scope == null ? RunScope.LIVE : scope;
    if (allowedLateness.isNegative() || provisionalInterval.isNegative()) {
      throw new IllegalArgumentException("allowed lateness and provisional interval cannot be negative");
    }
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  public static MarketDataJobConfig defaults(String bootstrapServers, CatalogConfig catalog, String relayIngress) {
    return builder(bootstrapServers).catalog(catalog).relayIngress(relayIngress).build();
  }

  /**
   * What a bounded run over a file uses: final bars only, nothing late to wait for (the input is in order and
   * ends with the maximum watermark).
   */
  public static MarketDataJobConfig boundedRun() {
    return builder("unused:9092").allowedLateness(Duration.ZERO).provisionalInterval(Duration.ZERO).build();
  }

  /** Whether the job reads quotes at all. */
  public boolean readsQuotes() {
    return !quotesTopic.isEmpty();
  }

  public Builder toBuilder() {
    Builder b = new Builder(bootstrapServers);
    b.groupId = groupId;
    b.rawTopic = rawTopic;
    b.quotesTopic = quotesTopic;
    b.catalog = catalog;
    b.relayIngress = relayIngress;
    b.relayCurve = relayCurve;
    b.timeframe = timeframe;
    b.checkpointInterval = checkpointInterval;
    b.outOfOrderness = outOfOrderness;
    b.idleness = idleness;
    b.watermarkStep = watermarkStep;
    b.bufferTimeout = bufferTimeout;
    b.dedupWindow = dedupWindow;
    b.textIdRetention = textIdRetention;
    b.allowedLateness = allowedLateness;
    b.provisionalInterval = provisionalInterval;
    b.stateBackend = stateBackend;
    b.checkpointDir = checkpointDir;
    b.heartbeatTimeout = heartbeatTimeout;
    b.detectorsDir = detectorsDir;
    b.patternsFile = patternsFile;
    b.tradingFile = tradingFile;
    b.parallelism = parallelism;
    b.scope = scope;
    return b;
  }

  public MarketDataJobConfig withCheckpointInterval(Duration interval) {
    return toBuilder().checkpointInterval(interval).build();
  }

  public MarketDataJobConfig withIdleness(Duration newIdleness) {
    return toBuilder().idleness(newIdleness).build();
  }

  /** Unset values take the defaults above. */
  public static final class Builder {
    private final String bootstrapServers;
    private String groupId;
    private String rawTopic;
    private String quotesTopic;
    private CatalogConfig catalog;
    private String relayIngress;
    private CurveClientKeys relayCurve;
    private Timeframe timeframe;
    private Duration checkpointInterval;
    private Duration outOfOrderness;
    private Duration idleness;
    private Duration watermarkStep;
    private Duration bufferTimeout;
    private long dedupWindow;
    private Duration textIdRetention;
    private Duration allowedLateness;
    private Duration provisionalInterval;
    private StateBackend stateBackend;
    private String checkpointDir;
    private Duration heartbeatTimeout;
    private String detectorsDir;
    private String patternsFile;
    private String tradingFile;
    private int parallelism;
    private RunScope scope;

    private Builder(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Builder groupId(String v) { groupId = v; return this; }
    public Builder rawTopic(String v) { rawTopic = v; return this; }
    public Builder quotesTopic(String v) { quotesTopic = v; return this; }
    public Builder catalog(CatalogConfig v) { catalog = v; return this; }
    public Builder relayIngress(String v) { relayIngress = v; return this; }
    public Builder relayCurve(CurveClientKeys v) { relayCurve = v; return this; }
    public Builder timeframe(Timeframe v) { timeframe = v; return this; }
    public Builder checkpointInterval(Duration v) { checkpointInterval = v; return this; }
    public Builder outOfOrderness(Duration v) { outOfOrderness = v; return this; }
    public Builder idleness(Duration v) { idleness = v; return this; }
    public Builder watermarkStep(Duration v) { watermarkStep = v; return this; }
    public Builder bufferTimeout(Duration v) { bufferTimeout = v; return this; }
    public Builder dedupWindow(long v) { dedupWindow = v; return this; }
    public Builder textIdRetention(Duration v) { textIdRetention = v; return this; }
    public Builder allowedLateness(Duration v) { allowedLateness = v; return this; }
    public Builder provisionalInterval(Duration v) { provisionalInterval = v; return this; }
    public Builder stateBackend(StateBackend v) { stateBackend = v; return this; }
    public Builder checkpointDir(String v) { checkpointDir = v; return this; }
    public Builder heartbeatTimeout(Duration v) { heartbeatTimeout = v; return this; }
    public Builder detectorsDir(String v) { detectorsDir = v; return this; }
    public Builder patternsFile(String v) { patternsFile = v; return this; }
    public Builder tradingFile(String v) { tradingFile = v; return this; }
    public Builder parallelism(int v) { parallelism = v; return this; }
    public Builder scope(RunScope v) { scope = v; return this; }

    public MarketDataJobConfig build() {
      return new MarketDataJobConfig(bootstrapServers, groupId, rawTopic, quotesTopic, catalog, relayIngress, relayCurve,
          timeframe, checkpointInterval, outOfOrderness, idleness, watermarkStep, bufferTimeout, dedupWindow, textIdRetention, allowedLateness,
          provisionalInterval, stateBackend, checkpointDir, heartbeatTimeout, detectorsDir, patternsFile, tradingFile, parallelism,
          scope);
    }
  }
}
