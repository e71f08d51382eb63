package dev.tickflow.ingestors.replay;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.ingestors.TradeFormats;
import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays recorded trades into Kafka as an exchange would have sent them: in file order, keyed by ticker, with
 * the trade time in the {@link RecordHeaders#EVENT_TIME} header (the market-data job's watermarks are built on
 * it), paced by event time at {@code speed} times real time.
 *
 * <p>Lines that cannot be read go to the dead-letter topic with their line number and the reason; the replay
 * goes on. Progress is logged every few seconds.
 */
public final class TradeReplay {

  private static final Logger LOG = LoggerFactory.getLogger(TradeReplay.class);
  private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final ReplayConfig config;
  private final TradeFormat format;
  private final PacedTradeProducer out;
  private volatile boolean stopped;

  public TradeReplay(ReplayConfig config, Producer<String, byte[]> producer) {
    this.format = TradeFormats.forName(config.format(), config.ticker());
    this.config = config;
    this.out = new PacedTradeProducer(producer, config.topic(), config.speed());
  }

  /** Asks a running replay to stop after the current line. */
  public void stop() {
    stopped = true;
    out.stop();
  }

  /** Runs the replay to the end of the input (or until stopped), flushes, and says what it did. */
  public ReplaySummary run() throws IOException, InterruptedException {
    String key = config.ticker().toString();
    long deadLettered = 0;
    long outside = 0;
    long ignored = 0;
    Instant last = null;
    long lastProgress = System.nanoTime();
    LOG.info("replaying {} as {} into {} at {}", config.inputName(), config.ticker(), config.topic(),
        PacedTradeProducer.describe(config.speed()));

    try (BufferedReader reader = open()) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null && !stopped; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank() || (lineNumber == 1 && format.isHeader(line))) {
          continue;
        }
        Instant now = Instant.now();
        ReadResult result = format.read(line, lineNumber, now);
        if (result instanceof ReadResult.Ignored) {
          ignored++;
          continue;
        }
        if (result instanceof ReadResult.Malformed bad) {
          out.deadLetter(config.deadLetterTopic(), key, deadLetter(bad, now));
          deadLettered++;
          LOG.warn("line {} of {} dead-lettered: {}", bad.position(), config.inputName(), bad.reason());
          continue;
        }
        RawTrade trade = ((ReadResult.Parsed) result).trade();
        Instant eventTime = trade.getEventTime();
        if ((config.from() != null && eventTime.isBefore(config.from()))
            || (config.until() != null && !eventTime.isBefore(config.until()))) {
          outside++;
          continue;
        }
        out.send(trade);
        last = eventTime;
        if (System.nanoTime() - lastProgress > PROGRESS_EVERY_NANOS) {
          lastProgress = System.nanoTime();
          LOG.info("replay progress: {} trades produced, event time now {}", out.sent(), eventTime);
        }
      }
    }
    out.flush();
    ReplaySummary summary = new ReplaySummary(out.sent(), deadLettered, outside, ignored, out.firstEventTime(), last);
    LOG.info("replay {}: {}", stopped ? "stopped" : "finished", summary);
    return summary;
  }

  private BufferedReader open() throws IOException {
    if (config.file() == null) {
      return new BufferedReader(new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(config.file(), StandardCharsets.UTF_8);
  }

  private DeadLetter deadLetter(ReadResult.Malformed bad, Instant now) {
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(bad.text().getBytes(StandardCharsets.UTF_8)))
        .setReason("line " + bad.position() + ": " + bad.reason())
        .setErrorType("MALFORMED_LINE")
        .setStage("replay-ingestor")
        .setSourceTopic("file:" + config.inputName())
        .setSourcePartition(0)
        .setSourceOffset(bad.position())
        .setEventTime(now)
        .setIngestTime(now)
        .build();
  }
}
