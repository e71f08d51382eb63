package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.relay.RelayMetrics;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two restarts an operator makes while data flows. The Kafka broker is restarted a third of the way into a
 * stream of four hours of Binance trades: the ingestor (a producer with its default retries) and the job carry
 * on, and in the end Kafka (read_committed) and the lake hold every trade once and candles equal to Binance's
 * klines. The relay is restarted two thirds of the way in: a subscriber to every topic, connected before, receives
 * more updates than the old relay ever sent, without doing anything, and the job neither restarted nor stopped checkpointing for it.
 */
class BrokerAndRelayRestartIT {

  private static final Instant UNTIL = Instant.parse("2019-10-11T04:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void aBrokerRestartLosesNothingAndARelayRestartStallsNothing() throws Exception {
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir));
        Tail tail = new Tail(stack.relayFanout())) {
      String kafka = stack.kafkaBootstrap();
      long expectedTrades = SampleExpectations.tradesBefore(UNTIL);
      CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> produce(kafka));

      Probes.waitFor("a third of the trades in", Duration.ofSeconds(120),
          () -> Probes.rawRecords(kafka) >= expectedTrades / 3);
      long brokerDown = System.nanoTime();
      stack.restartKafka();
      System.out.printf("BrokerAndRelayRestartIT: broker restarted in %.1f s, %d trades in%n",
          (System.nanoTime() - brokerDown) / 1e9, Probes.rawRecords(kafka));

      Probes.waitFor("two thirds of the trades in", Duration.ofSeconds(180),
          () -> Probes.rawRecords(kafka) >= expectedTrades * 2 / 3);
      Probes.waitFor("updates on the relay before its restart", Duration.ofSeconds(60), () -> tail.received() > 0);
      String webUi = stack.flink().webUi();
      String jobId = ((LocalFlink) stack.flink()).job().getJobID().toHexString();
      Probes.waitFor("the job's restart count", Duration.ofSeconds(30), () -> jobMetric(webUi, jobId, "numRestarts") >= 0);
      long restartsBefore = jobMetric(webUi, jobId, "numRestarts");
      long checkpointsBefore = Probes.completedCheckpoints(webUi, jobId);
      RelayMetrics old = stack.relayMetrics();
      stack.restartRelay();
      long candlesAfter = System.nanoTime();
      // more than the old relay ever sent: some came through the new one, to a subscriber that did nothing
      long sentByOld = old.out(RelayMetrics.Channel.FANOUT);
      try {
        Probes.waitFor("updates through the new relay", Duration.ofSeconds(60), () -> tail.received() > sentByOld);
      } catch (AssertionError e) {
        RelayMetrics now = stack.relayMetrics();
        throw new AssertionError(e.getMessage() + ": received " + tail.received() + ", the old relay sent "
            + sentByOld + "; the new one has " + now.subscribers() + " subscribers, " + now.topicSubscriptions()
            + " subscriptions, received " + now.in(RelayMetrics.Channel.INGRESS) + ", sent "
            + now.out(RelayMetrics.Channel.FANOUT) + ", dropped " + now.dropped(RelayMetrics.Channel.FANOUT), e);
      }
      System.out.printf("BrokerAndRelayRestartIT: subscriber got updates through the new relay %.1f s after the relay restart%n",
          (System.nanoTime() - candlesAfter) / 1e9);
      Probes.waitFor("checkpoints after the relay restart", Duration.ofSeconds(60),
          () -> Probes.completedCheckpoints(webUi, jobId) >= checkpointsBefore + 3);
      assertThat(jobMetric(webUi, jobId, "numRestarts")).as("job restarts across the relay restart")
          .isEqualTo(restartsBefore);

      stream.get(300, TimeUnit.SECONDS);
      assertThat(Probes.rawRecords(kafka)).as("the ingestor lost nothing to the broker restart")
          .isEqualTo(expectedTrades);
      long lastBar = SampleExpectations.lastFinalBar(UNTIL);
      Probes.awaitCandle(stack.catalog(), lastBar, Duration.ofSeconds(180));
      Probes.awaitCaughtUp(kafka);

      List<String> trades = Probes.readCommitted(kafka, Topic.MARKET_DATA_TRADES.topicName()).stream()
          .map(r -> EventTypes.codec(Trade.class).decode(r.value()).getTradeId()).toList();
      assertThat(trades).as("trades in Kafka").doesNotHaveDuplicates().hasSize((int) expectedTrades);
      List<Candle> candles = Probes.readCommitted(kafka, Topic.MARKET_DATA_OHLC.topicName()).stream()
          .map(r -> EventTypes.codec(Candle.class).decode(r.value())).toList();
      assertThat(candles).extracting(c -> c.getTimeframe() + "@" + c.getOpenTime().toEpochMilli())
          .as("final candles in Kafka").doesNotHaveDuplicates();
      try (SqlRunner sql = new SqlRunner(stack.catalog())) {
        assertThat(sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades").get(0))
            .as("every trade in the lake once").containsExactly(expectedTrades, expectedTrades);
        SampleExpectations.assertLakeBarsEqualKlines(sql, lastBar);
      }
    }
  }

  /** A subscriber to every topic that reads all the time on its own thread, as a real one does. */
  private static final class Tail implements AutoCloseable {
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread thread;

    Tail(String fanout) {
      thread = new Thread(() -> {
        try (RelaySubscriber subscriber = new RelaySubscriber(fanout, List.of(""))) {
          while (!stop.get()) {
            subscriber.receive(Duration.ofMillis(100)).ifPresent(m -> received.incrementAndGet());
          }
        }
      }, "relay-tail");
      thread.start();
    }

    long received() {
      return received.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(5_000);
    }
  }

  private static void produce(String bootstrap) {
    // about two minutes: the restarts fall inside the stream
    ReplayConfig config = ReplayConfig.sample(bootstrap, 120).withWindow(SampleExpectations.START, UNTIL);
    try (Producer<String, byte[]> producer = new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrap))) {
      new TradeReplay(config, producer).run();
    } catch (Exception e) {
      throw new IllegalStateException("the trade stream failed", e);
    }
  }

  /** A job-level metric from Flink's REST API; -1 while it does not answer. */
  static long jobMetric(String webUi, String jobId, String metric) {
    try {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(webUi + "/jobs/" + jobId
          + "/metrics?get=" + metric)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return JSON.readTree(body).path(0).path("value").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }
}
