package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.binance.BinanceExchange;
import dev.tickflow.ingestors.binance.BinanceRestServer;
import dev.tickflow.ingestors.history.HistoryWorker;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.relay.RelayClient;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.HistoryStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history request/notify flow end to end on the local stack: a client asks the relay for ten minutes of
 * XRP/ETH trades; the relay forwards the request to the Binance ingestor's work queue; the ingestor fetches them
 * from a server replaying Binance's recorded REST answers and writes them to Kafka with a completion marker;
 * the history pipeline upserts them into market.trades and, once they are committed, announces
 * HISTORY_READY:<id>; the client then finds exactly those trades in the lake, also after asking twice.
 */
class HistoryFlowIT {

  private static final Instant FROM = Instant.parse("2019-10-11T00:00:00Z");
  private static final Instant TO = Instant.parse("2019-10-11T00:10:00Z");

  @TempDir Path dataDir;

  @Test
  void aClientsHistoryRequestIsAnsweredFromTheLakeAfterTheNotification() throws Exception {
    long expected = SampleExpectations.tradesBefore(TO) - SampleExpectations.tradesBefore(FROM);
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir));
        BinanceRestServer rest = new BinanceRestServer();
        MarketDataProducer out = new MarketDataProducer(new KafkaProducer<>(
            RawTopicOptions.producerProperties(stack.kafkaBootstrap())));
        HistoryWorker ingestor = new HistoryWorker(stack.relayWorkQueue(),
            new BinanceExchange(rest.baseUrl(), Duration.ofSeconds(5)), out, "history-flow-it")) {
      ingestor.start();
      RelayClient client = new RelayClient(stack.relayFanout(), stack.relayRequests(), null);
      // the relay refuses a request no ingestor serves; wait until the ingestor's subscription is in
      Probes.waitFor("the ingestor on the work queue", Duration.ofSeconds(30),
          () -> stack.relayMetrics().workQueuePrefixes() == 1);

      // a client can also follow all its answers on one topic, RESPONSE:<clientId>
      java.util.Queue<RelayMessage> responses = new java.util.concurrent.ConcurrentLinkedQueue<>();
      RelayClient.Subscription clientTopic = client.subscribe(List.of(RelayClient.RESPONSE + "history-flow-it"),
          responses::add);

      HistoryReadyNotification first = ask(client, "flow-1");
      assertThat(first.getStatus()).isEqualTo(HistoryStatus.OK);
      Probes.waitFor("the notification on RESPONSE:history-flow-it", Duration.ofSeconds(10), () -> !responses.isEmpty());
      clientTopic.close();
      assertThat(EventTypes.codec(HistoryReadyNotification.class).decode(responses.peek().payload()))
          .isEqualTo(first);
      assertThat(first.getTable()).isEqualTo(MarketTables.TRADES_ID.toString());
      assertThat(first.getRowCount()).isEqualTo(expected);

      try (SqlRunner sql = new SqlRunner(stack.catalog())) {
        List<List<Object>> rows = sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id), MIN(event_time), "
            + "MAX(event_time) FROM market.trades /*+ OPTIONS('snapshot-id'='" + first.getSnapshotId() + "') */ "
            + "WHERE history_request_id = 'flow-1'");
        assertThat(((Number) rows.get(0).get(0)).longValue()).isEqualTo(expected);
        assertThat(((Number) rows.get(0).get(1)).longValue()).isEqualTo(expected);
        assertThat(Probes.toInstant(rows.get(0).get(2))).isAfterOrEqualTo(FROM);
        assertThat(Probes.toInstant(rows.get(0).get(3))).isBefore(TO);

        // the same range again: upserted, so each trade is in the lake once
        HistoryReadyNotification second = ask(client, "flow-2");
        assertThat(second.getRowCount()).isEqualTo(expected);
        List<List<Object>> all = sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades");
        assertThat(((Number) all.get(0).get(0)).longValue()).isEqualTo(expected);
        assertThat(((Number) all.get(0).get(1)).longValue()).isEqualTo(expected);
      }
      // tickflow history: the same flow from the command line, printing candles equal to Binance's own klines
      java.io.StringWriter printed = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      int exit = dev.tickflow.deploy.cli.TickflowCli.commandLine().setOut(new java.io.PrintWriter(printed))
          .setErr(new java.io.PrintWriter(err)).execute("history", "BINANCE:XRP/ETH", "--from", FROM.toString(),
              "--to", TO.toString(), "--timeframe", "1m", "--data-dir", dataDir.toString(), "--timeout", "2m");
      assertThat(exit).as(err.toString()).isZero();
      assertThat(err.toString()).contains("OK, " + expected + " trades in market.trades");
      List<String> lines = printed.toString().lines().toList();
      assertThat(lines.get(0)).startsWith("open_time,open,high,low,close,volume");
      assertThat(lines).hasSize(11);
      var klines = SampleExpectations.klines();
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        java.math.BigDecimal[] k = klines.get(Long.parseLong(f[0]));
        for (int i = 0; i < 5; i++) {
          assertThat(new java.math.BigDecimal(f[i + 1])).as(line).isEqualByComparingTo(k[i]);
        }
      }

      Catalog catalog = stack.catalog().load();
      Table trades = catalog.loadTable(MarketTables.TRADES_ID);
      assertThat(trades.snapshot(first.getSnapshotId())).as("the announced snapshot exists").isNotNull();
      ((AutoCloseable) catalog).close();
    }
  }

  private static HistoryReadyNotification ask(RelayClient client, String id) throws Exception {
    HistoryRequest request = HistoryRequest.newBuilder().setRequestId(id).setClientId("history-flow-it")
        .setExchange("BINANCE").setBase("XRP").setQuote("ETH").setDataType("trades").setFromTime(FROM)
        .setToTime(TO).setEventTime(Instant.now()).setIngestTime(Instant.now()).build();
    return client.requestHistory(request, Duration.ofSeconds(120)).get();
  }
}
