package dev.tickflow.jobs.marketdata;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.Topic;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the market-data job is configured by, with defaults. The command line
 * ({@link MarketDataJob#main}) and the local stack both build one of these.
 *
 * @param catalog Iceberg catalog to write {@code market.trades} and {@code market.ohlc} to; null: no lake
 * @param relayIngress relay ingress endpoint for live candle updates; null: no relay
 * @param outOfOrderness how far behind the newest trade of a partition the watermark trails
 * @param idleness after this long without records a Kafka partition stops holding the watermark back
 * @param dedupWindow trade ids tracked individually below each ticker's high-water mark
 */
public record MarketDataJobConfig(
    String bootstrapServers,
    String groupId,
    String rawTopic,
    CatalogConfig catalog,
    String relayIngress,
    Timeframe timeframe,
    Duration checkpointInterval,
    Duration outOfOrderness,
    Duration idleness,
    long dedupWindow,
    Duration textIdRetention,
    int parallelism) implements Serializable {

  public MarketDataJobConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    groupId = groupId == null ? "tickflow-market-data" : groupId;
    rawTopic = rawTopic == null ? Topic.MARKET_DATA_RAW.topicName() : rawTopic;
    timeframe = timeframe == null ? Timeframe.M1 : timeframe;
    checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(10) : checkpointInterval;
    outOfOrderness = outOfOrderness == null ? Duration.ofSeconds(2) : outOfOrderness;
    idleness = idleness == null ? Duration.ofSeconds(30) : idleness;
    dedupWindow = dedupWindow <= 0 ? 10_000 : dedupWindow;
    textIdRetention = textIdRetention == null ? Duration.ofHours(1) : textIdRetention;
    parallelism = parallelism <= 0 ? 1 : parallelism;
  }

  public static MarketDataJobConfig defaults(String bootstrapServers, CatalogConfig catalog, String relayIngress) {
    return new MarketDataJobConfig(bootstrapServers, null, null, catalog, relayIngress, null, null, null, null, 0,
        null, 0);
  }

  public MarketDataJobConfig withCheckpointInterval(Duration interval) {
    return new MarketDataJobConfig(bootstrapServers, groupId, rawTopic, catalog, relayIngress, timeframe, interval,
        outOfOrderness, idleness, dedupWindow, textIdRetention, parallelism);
  }

  public MarketDataJobConfig withIdleness(Duration newIdleness) {
    return new MarketDataJobConfig(bootstrapServers, groupId, rawTopic, catalog, relayIngress, timeframe,
        checkpointInterval, outOfOrderness, newIdleness, dedupWindow, textIdRetention, parallelism);
  }
}
