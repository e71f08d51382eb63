package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.binance.BinanceExchange;
import dev.tickflow.ingestors.binance.BinanceRestServer;
import dev.tickflow.ingestors.history.HistoryWorker;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayClient;
import dev.tickflow.relay.RelayConfig;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.relay.ZmqRuntime;
import dev.tickflow.relay.security.CurveClient;
import dev.tickflow.relay.security.CurveKeyPair;
import dev.tickflow.relay.security.RelayCurve;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.HistoryStatus;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The ingestor's Kafka side against a real broker: nothing lost, doubled or reordered when the broker goes away
 * mid-stream, a producer that blocks (back-pressure) instead of dropping while it cannot deliver, and a history
 * request taken from a ZeroMQ work queue answered with trades plus a completion marker that names their offsets.
 */
class IngestorKafkaIT {

  @TempDir Path dir;

  @Test
  void aBrokerOutageBlocksTheProducerAndLosesDoublesOrReordersNothing() throws Exception {
    int port = Ports.resolve(0);
    int controller = Ports.resolve(0);
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), port, controller, 3);
    Properties props = RawTopicOptions.producerProperties(kafka.bootstrapServers());
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "65536"); // small, so an outage blocks the sender quickly
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "16384");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // these repetitive trades would compress into it
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
    String[] tickers = {"AAA/ETH", "BBB/ETH", "CCC/ETH"};
    int perTicker = 3000;
    AtomicReference<Exception> failed = new AtomicReference<>();
    java.util.concurrent.CountDownLatch brokerDown = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch acknowledged = new java.util.concurrent.CountDownLatch(1);
    int beforeOutage = 300;
    try (MarketDataProducer out = new MarketDataProducer(new KafkaProducer<>(props))) {
      Thread sender = new Thread(() -> {
        try {
          for (int i = 0; i < perTicker; i++) {
            if (i == beforeOutage) {
              out.flush(); // these are acknowledged before the broker goes away
              acknowledged.countDown();
              brokerDown.await();
            }
            for (String t : tickers) {
              out.trade(trade(t, i));
            }
          }
          out.flush();
        } catch (Exception e) {
          failed.set(e);
        }
      }, "sender");
      sender.start();
      // Not the sender's thread state: inside flush() it waits too, and a broker stopped then would hold the
      // flush, not a send, which is what this test is about.
      assertThat(acknowledged.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the first trades acknowledged")
          .isTrue();
      assertThat(out.sent()).isEqualTo(3L * beforeOutage);
      kafka.close();
      brokerDown.countDown();
      // Blocked inside send(), waiting for a leader (metadata) or for buffer space: either way the caller is
      // held up, which is the back-pressure the websocket reader relies on; nothing is dropped.
      try {
        Probes.waitFor("the sender blocked inside KafkaProducer.send", Duration.ofSeconds(60), () ->
            isWaiting(sender.getState()) && Arrays.stream(sender.getStackTrace()).anyMatch(
                f -> f.getClassName().endsWith("KafkaProducer") && f.getMethodName().equals("send")));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; sent " + out.sent() + ", sender " + sender.getState() + " at " // for diagnosis
            + Arrays.toString(sender.getStackTrace()) + ", failure " + failed.get(), e);
      }
      long blockedAt = out.sent();
      assertThat(blockedAt).isLessThan(3L * perTicker);
      kafka = EmbeddedKafka.start(dir.resolve("kafka"), port, controller, 3);
      sender.join(Duration.ofSeconds(120).toMillis());
      assertThat(sender.isAlive()).isFalse();
      assertThat(failed.get()).isNull();
      assertThat(out.errors()).isZero();
    }
    Map<String, List<Integer>> seqByTicker = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : Probes.readCommitted(kafka.bootstrapServers(), Topic.MARKET_DATA_RAW.topicName())) {
      RawTrade t = EventTypes.codec(RawTrade.class).decode(r.value());
      seqByTicker.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(Integer.parseInt(t.getTradeId()));
    }
    kafka.close();
    assertThat(seqByTicker).containsOnlyKeys("TEST:AAA/ETH", "TEST:BBB/ETH", "TEST:CCC/ETH");
    List<Integer> expected = java.util.stream.IntStream.range(0, perTicker).boxed().toList();
    seqByTicker.values().forEach(ids -> assertThat(ids).isEqualTo(expected));
  }

  @Test
  void aHistoryRequestFromTheWorkQueueIsAnsweredWithTradesAndACompletionMarker() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), 3);
    int queuePort = Ports.resolve(0);
    ZMQ.Socket queue = ZmqRuntime.context().createSocket(SocketType.XPUB); // stands in for the relay's work queue
    queue.setLinger(0);
    queue.bind("tcp://127.0.0.1:" + queuePort);
    Instant from = Instant.parse("2019-10-11T00:00:00Z");
    Instant to = Instant.parse("2019-10-11T00:10:00Z");
    try (BinanceRestServer rest = new BinanceRestServer();
        MarketDataProducer out = new MarketDataProducer(new KafkaProducer<>(
            RawTopicOptions.producerProperties(kafka.bootstrapServers())));
        HistoryWorker worker = new HistoryWorker("tcp://127.0.0.1:" + queuePort,
            new BinanceExchange(rest.baseUrl(), Duration.ofSeconds(5)), out, "history-it")) {
      worker.start();
      byte[] subscription = queue.recv(); // XPUB hands us the worker's subscription: it cannot miss the request
      assertThat(new String(subscription, 1, subscription.length - 1, StandardCharsets.UTF_8)).isEqualTo("BINANCE:");

      queue.sendMore("BINANCE:XRP/ETH|trades");
      queue.send(new byte[] {1, 2, 3});
      queue.sendMore("BINANCE:XRP/ETH|trades");
      queue.send(EventTypes.codec(HistoryRequest.class).encode(HistoryRequest.newBuilder()
          .setRequestId("req-1").setClientId("client-7").setExchange("BINANCE").setBase("XRP").setQuote("ETH")
          .setDataType("trades").setFromTime(from).setToTime(to)
          .setEventTime(Instant.now()).setIngestTime(Instant.now()).build()));
      Probes.waitFor("the request answered", Duration.ofSeconds(60), () -> worker.served() == 1);
      assertThat(worker.rejected()).isEqualTo(1);
    } finally {
      ZmqRuntime.context().destroySocket(queue);
    }

    List<ConsumerRecord<byte[], byte[]>> markers = Probes.readCommitted(kafka.bootstrapServers(),
        Topic.HISTORY_FETCHED.topicName());
    assertThat(markers).hasSize(1);
    HistoryFetched marker = EventTypes.codec(HistoryFetched.class).decode(markers.get(0).value());
    long expected = SampleExpectations.tradesBefore(to) - SampleExpectations.tradesBefore(from);
    assertThat(marker.getStatus()).isEqualTo(HistoryStatus.OK);
    assertThat(marker.getRequestId()).isEqualTo("req-1");
    assertThat(marker.getClientId()).isEqualTo("client-7");
    assertThat(marker.getRowCount()).isEqualTo(expected);

    List<ConsumerRecord<byte[], byte[]>> raw = Probes.readCommitted(kafka.bootstrapServers(),
        Topic.MARKET_DATA_RAW.topicName());
    assertThat(raw).hasSize((int) expected);
    assertThat(marker.getWritten()).singleElement().satisfies(range -> {
      assertThat(range.getTopic()).isEqualTo("market_data.raw");
      assertThat(range.getToOffset() - range.getFromOffset() + 1).isEqualTo(expected);
      assertThat(raw).allMatch(r -> r.partition() == range.getPartition());
    });
    assertThat(raw).allSatisfy(r -> {
      RawTrade t = EventTypes.codec(RawTrade.class).decode(r.value());
      assertThat(t.getHistoryRequestId()).isEqualTo("req-1");
      assertThat(t.getIngestorId()).isEqualTo("history-it");
      assertThat(t.getEventTime()).isBetween(from, to.minusMillis(1));
    });
    List<ConsumerRecord<byte[], byte[]>> dead = Probes.readCommitted(kafka.bootstrapServers(), Topic.DEADLETTER.topicName());
    assertThat(dead).singleElement().satisfies(r ->
        assertThat(EventTypes.codec(DeadLetter.class).decode(r.value()).getStage()).isEqualTo("ingest-history"));
    kafka.close();
  }

  @Test
  void withCurveOnTheRelayTheListedIngestorTakesTheWorkAndAStrangerHearsNothing() throws Exception {
    CurveKeyPair server = CurveKeyPair.generate();
    CurveKeyPair ingestor = CurveKeyPair.generate();
    CurveKeyPair client = CurveKeyPair.generate();
    CurveKeyPair stranger = CurveKeyPair.generate();
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), 1);
    Instant from = Instant.parse("2019-10-11T00:00:00Z");
    Instant to = Instant.parse("2019-10-11T00:02:00Z");
    HistoryRequest request = HistoryRequest.newBuilder().setRequestId("curve-1").setClientId("client-7")
        .setExchange("BINANCE").setBase("XRP").setQuote("ETH").setDataType("trades").setFromTime(from).setToTime(to)
        .setEventTime(Instant.now()).setIngestTime(Instant.now()).build();
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0)
            .withCurve(new RelayCurve(server, Set.of(ingestor.publicKey(), client.publicKey()))));
        BinanceRestServer rest = new BinanceRestServer();
        MarketDataProducer out = new MarketDataProducer(new KafkaProducer<>(
            RawTopicOptions.producerProperties(kafka.bootstrapServers())));
        RelaySubscriber intruder = new RelaySubscriber(relay.workQueueEndpoint(), List.of("BINANCE:"),
            new CurveClient(server.publicKey(), stranger));
        HistoryWorker worker = new HistoryWorker(relay.workQueueEndpoint(), new CurveClient(server.publicKey(),
            ingestor), new BinanceExchange(rest.baseUrl(), Duration.ofSeconds(5)), out, "curve-it")) {
      worker.start();
      Probes.waitFor("the listed ingestor's subscription", Duration.ofSeconds(10),
          () -> relay.metrics().workQueuePrefixes() == 1);
      var answer = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(),
          new CurveClient(server.publicKey(), client)).requestHistory(request, Duration.ofSeconds(60));
      Probes.waitFor("the request served", Duration.ofSeconds(60),
          () -> worker.served() == 1 || answer.isCompletedExceptionally());
      assertThat(worker.served()).as("served (the client's request failed: " + answer + ")").isEqualTo(1);
      assertThat(intruder.receive(Duration.ofSeconds(1))).as("what a stranger's key receives").isEmpty();
      answer.cancel(true); // no job here to announce it
    }
    List<ConsumerRecord<byte[], byte[]>> markers = Probes.readCommitted(kafka.bootstrapServers(),
        Topic.HISTORY_FETCHED.topicName());
    assertThat(markers).singleElement().satisfies(r -> {
      HistoryFetched marker = EventTypes.codec(HistoryFetched.class).decode(r.value());
      assertThat(marker.getRequestId()).isEqualTo("curve-1");
      assertThat(marker.getStatus()).isEqualTo(HistoryStatus.OK);
      assertThat(marker.getRowCount())
          .isEqualTo(SampleExpectations.tradesBefore(to) - SampleExpectations.tradesBefore(from));
    });
    kafka.close();
  }

  private static boolean isWaiting(Thread.State state) {
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  private static RawTrade trade(String symbol, int seq) {
    return RawTrade.newBuilder().setExchange("TEST").setSymbol(symbol).setVenueSymbol(symbol.replace("/", ""))
        .setTradeId(Integer.toString(seq)).setPrice("1.5").setAmount("2").setSide(Side.BUY)
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + seq)).setIngestTime(Instant.now())
        .setFormat("it").build();
  }
}
