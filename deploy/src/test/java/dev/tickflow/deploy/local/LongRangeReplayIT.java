package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.PacedTradeProducer;
import dev.tickflow.ingestors.synthetic.SyntheticConfig;
import dev.tickflow.ingestors.synthetic.SyntheticTrades;
import dev.tickflow.schemas.Topic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of a long range, tens of thousands of raw records or more in one bounded run, equals what the live job
 * recorded for it (every bar of every timeframe), and the run's own trades topic holds every unique trade once,
 * nothing missing at either end of the range.
 */
class LongRangeReplayIT {

  /**
   * 50,000 in the suite: the stack's live job, lake and decision pipelines included, takes about a minute for them
   * on this 2-core machine. More with -Dtickflow.long-replay-trades=300000.
   */
  private static final int TRADES = Integer.getInteger("tickflow.long-replay-trades", 50_000);

  @TempDir Path dataDir;

  @Test
  void aLongReplayEqualsTheLiveRun() throws Exception {
    // 20 tickers at 30 trades a second (36 with the bursts: 23 minutes of market for 50,000), redeliveries,
    // out-of-order arrival
    SyntheticConfig market = new SyntheticConfig(20, 30, 3, 0.02, 10, TRADES, 5,
        Instant.parse("2024-03-01T00:00:00Z"));
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir.resolve("stack")))) {
      String kafka = stack.kafkaBootstrap();
      SyntheticTrades trades = new SyntheticTrades(market);
      try (var producer = new KafkaProducer<String, byte[]>(RawTopicOptions.producerProperties(kafka))) {
        PacedTradeProducer out = new PacedTradeProducer(producer, Topic.MARKET_DATA_RAW.topicName(), 0);
        while (trades.hasNext()) {
          out.send(trades.next());
        }
        out.flush();
      }
      long raw = Probes.rawRecords(kafka);
      assertThat(raw).as("raw records, redeliveries included").isEqualTo(TRADES + trades.duplicates());

      Probes.awaitCaughtUp(kafka, Duration.ofSeconds(Math.max(180, TRADES / 500)));
      SqlRunner sql = new SqlRunner(stack.catalog());
      Probes.waitFor("every distinct trade in market.trades", Duration.ofSeconds(Math.max(120, TRADES / 1000)), () -> {
        try {
          return ((Number) sql.query("SELECT COUNT(*) FROM market.trades").get(0).get(0)).longValue() == TRADES;
        } catch (Exception notYet) {
          return false;
        }
      });

      String catalog = dataDir.resolve("stack/catalog.properties").toString();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
          "replay", "--bootstrap-servers", kafka, "--catalog", catalog, "--run-id", "long_range", "--format", "json",
          // compare up to 3 minutes before the last trade: past the 2 minutes' lateness, the live bars are final
          "--settle", "3m");
      System.out.println("LongRangeReplayIT: replay -> " + code + "\n" + out + err);
      assertThat(code).as(out + "" + err).isZero();
      JsonNode report = new ObjectMapper().readTree(out.toString());
      assertThat(report.path("result").asText()).isEqualTo("IDENTICAL");
      Map<String, Long> compared = new HashMap<>();
      report.path("tables").forEach(t -> compared.put(t.path("table").asText(), t.path("identical").asLong()));
      // every ticker's one-minute bars but the last few minutes' (not settled), and the coarser ones
      long minutes = TRADES / 36 / 60;
      assertThat(compared.get("market.ohlc")).as("bars compared").isGreaterThanOrEqualTo(20 * (minutes - 5));
      assertThat(err.toString()).contains("market data: done");
      // the run's own Kafka outputs hold every unique trade once, first and last seconds included
      assertThat(Probes.readCommitted(kafka, Topic.MARKET_DATA_TRADES.topicName() + ".long_range"))
          .as("trades the replay committed").hasSize(TRADES);
    }
  }
}
