package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.binance.BinanceRestServer;
import dev.tickflow.ingestors.binance.BinanceStreamServer;
import dev.tickflow.ingestors.live.IngestCommand;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tickflow ingest} end to end against a real broker and the Binance stand-ins: trades (live and repaired),
 * a quote, the gap event, heartbeats and a dead letter each land in their topic, stamped with the ingestor id.
 */
class IngestCommandIT {

  @TempDir Path dir;

  @Test
  void liveTradesQuotesGapsAndDeadLettersLandInTheirTopics() throws Exception {
    List<String[]> sample;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      sample = in.lines().skip(1).limit(20).map(l -> l.split(",")).toList();
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), 3);
        BinanceRestServer rest = new BinanceRestServer()) {
      BinanceStreamServer ws = new BinanceStreamServer();
      ws.startAndWait();
      try {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestCommand()).setErr(new PrintWriter(err));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--symbols", "XRP/ETH",
            "--quotes", "--rest-url", rest.baseUrl().toString(), "--ws-url", ws.baseUrl().toString(),
            "--bootstrap-servers", kafka.bootstrapServers(), "--metrics-port", "-1", "--ingestor-id", "it-1",
            "--limit", "20", "--heartbeat-interval", "100ms"));
        Probes.waitFor("the ingestor to connect", Duration.ofSeconds(30), () -> !ws.connections.isEmpty());
        // a quiet market still says its feed is up
        Probes.waitFor("a connected heartbeat", Duration.ofSeconds(30), () -> Probes.readCommitted(
            kafka.bootstrapServers(), Topic.MARKET_DATA_RAW.topicName()).stream()
            .map(r -> EventTypes.decodeAny(r.value()))
            .anyMatch(e -> e instanceof FeedHeartbeat h && h.getConnected() && h.getIngestorId().equals("it-1") && h.getBase().equals("XRP")
                && h.getQuote().equals("ETH") && h.getExchange().equals("BINANCE")));
        send(ws, sample.subList(0, 5));
        ws.broadcast("{\"stream\":\"xrpeth@bookTicker\",\"data\":{\"u\":1,\"s\":\"XRPETH\",\"b\":\"0.00141342\","
            + "\"B\":\"31.21\",\"a\":\"0.00141418\",\"A\":\"40.66\"}}");
        ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"XRPETH\",\"a\":1,"
            + "\"p\":\"0\",\"q\":\"1\",\"T\":1570752011620,\"m\":true}}");
        send(ws, sample.subList(10, 20)); // rows 5..9 come over REST
        assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
      } finally {
        ws.stop(1000);
      }

      // the raw topic holds the trades and, in line with them, the market's heartbeats and gap
      List<ConsumerRecord<byte[], byte[]>> everything = Probes.readCommitted(kafka.bootstrapServers(),
          Topic.MARKET_DATA_RAW.topicName());
      assertThat(everything).allSatisfy(r ->
          assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("BINANCE:XRP/ETH"));
      assertThat(everything).filteredOn(r -> EventTypes.decodeAny(r.value()) instanceof FeedGap).hasSize(1);
      List<ConsumerRecord<byte[], byte[]>> raw = everything.stream()
          .filter(r -> EventTypes.decodeAny(r.value()) instanceof RawTrade).toList();
      assertThat(raw).hasSize(20).allSatisfy(r -> {
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("BINANCE:XRP/ETH");
        assertThat(EventTypes.codec(RawTrade.class).decode(r.value()).getIngestorId()).isEqualTo("it-1");
      });
      assertThat(raw.stream().map(r -> EventTypes.codec(RawTrade.class).decode(r.value()).getTradeId()).toList())
          .isEqualTo(sample.stream().map(c -> c[0]).toList());
      assertThat(Probes.readCommitted(kafka.bootstrapServers(), Topic.MARKET_DATA_QUOTES.topicName()))
          .singleElement().satisfies(r -> assertThat(EventTypes.codec(Quote.class).decode(r.value()).getBidPrice())
              .isEqualByComparingTo("0.00141342"));
      assertThat(Probes.readCommitted(kafka.bootstrapServers(), Topic.MARKET_DATA_GAPS.topicName()))
          .singleElement().satisfies(r -> {
            FeedGap g = EventTypes.codec(FeedGap.class).decode(r.value());
            assertThat(g.getRepaired()).isTrue();
            assertThat(g.getRecovered()).isEqualTo(5);
          });
      assertThat(Probes.readCommitted(kafka.bootstrapServers(), Topic.DEADLETTER.topicName()))
          .singleElement().satisfies(r -> {
            DeadLetter d = EventTypes.codec(DeadLetter.class).decode(r.value());
            assertThat(d.getReason()).contains("price 0 is not positive");
            assertThat(StandardCharsets.UTF_8.decode(d.getPayload().duplicate()).toString()).contains("\"p\":\"0\"");
          });
    }
  }

  private static void send(BinanceStreamServer ws, List<String[]> rows) {
    for (String[] c : rows) {
      ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + c[5] + ",\"s\":\"XRPETH\","
          + "\"a\":" + c[0] + ",\"p\":\"" + c[1] + "\",\"q\":\"" + c[2] + "\",\"f\":" + c[3] + ",\"l\":" + c[4]
          + ",\"T\":" + c[5] + ",\"m\":" + c[6].toLowerCase() + ",\"M\":" + c[7].toLowerCase() + "}}");
    }
  }
}
