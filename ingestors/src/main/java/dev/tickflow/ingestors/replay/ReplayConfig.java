package dev.tickflow.ingestors.replay;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a replay needs. {@code file} null means the bundled sample; {@code speed} 0 means as fast as
 * possible, 60 means one hour of trades in one minute.
 */
public record ReplayConfig(
    Path file,
    String format,
    Ticker ticker,
    double speed,
    Instant from,
    Instant until,
    String bootstrapServers,
    String topic,
    String deadLetterTopic) {

  public static final Ticker SAMPLE_TICKER = Ticker.parse("BINANCE:XRP/ETH");

  public ReplayConfig {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    topic = topic == null ? Topic.MARKET_DATA_RAW.topicName() : topic;
    deadLetterTopic = deadLetterTopic == null ? Topic.DEADLETTER.topicName() : deadLetterTopic;
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be 0 (as fast as possible) or a positive factor, got " + speed);
    }
    if (from != null && until != null && !from.isBefore(until)) {
      throw new IllegalArgumentException("--from " + from + " must be before --until " + until);
    }
  }

  /** Replays the bundled 12 hours of Binance XRP/ETH trades. */
  public static ReplayConfig sample(String bootstrapServers, double speed) {
    return new ReplayConfig(null, "binance-aggtrades-csv", SAMPLE_TICKER, speed, null, null, bootstrapServers,
        null, null);
  }

  public ReplayConfig withWindow(Instant newFrom, Instant newUntil) {
    return new ReplayConfig(file, format, ticker, speed, newFrom, newUntil, bootstrapServers, topic,
        deadLetterTopic);
  }

  /** A human name of the input, for logs. */
  public String inputName() {
    return file == null ? "bundled sample " + SampleData.TRADES : file.toString();
  }
}
