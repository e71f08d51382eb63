package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** The relay's request channel and work queue, and its metrics endpoint, over real ZeroMQ and HTTP sockets. */
class RelayRequestsTest {

  private static final Instant FROM = Instant.parse("2019-10-11T00:00:00Z");

  private static HistoryRequest.Builder request() {
    return HistoryRequest.newBuilder().setRequestId("req-1").setClientId("notebook-7").setExchange("BINANCE")
        .setBase("XRP").setQuote("ETH").setDataType("ohlc:1m").setFromTime(FROM).setToTime(FROM.plusSeconds(3600))
        .setEventTime(FROM).setIngestTime(FROM);
  }

  /** A client as any ZeroMQ binding writes one: a DEALER (or a REQ) connected to the request endpoint. */
  private static final class Client implements AutoCloseable {
    final ZMQ.Socket socket;

    Client(String endpoint, SocketType type) {
      socket = ZmqRuntime.context().createSocket(type);
      socket.setLinger(0);
      socket.setReceiveTimeOut(5_000);
      socket.connect(endpoint);
    }

    List<String> ask(byte[]... frames) {
      for (int i = 0; i < frames.length; i++) {
        socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
      }
      byte[] status = socket.recv();
      assertThat(status).as("a reply within 5 s").isNotNull();
      assertThat(socket.hasReceiveMore()).isTrue();
      String detail = socket.recvStr();
      assertThat(socket.hasReceiveMore()).isFalse();
      return List.of(new String(status, StandardCharsets.UTF_8), detail);
    }

    @Override
    public void close() {
      ZmqRuntime.context().destroySocket(socket);
    }
  }

  @Test
  void aPingIsAnsweredFromAReqAndFromADealer() {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        Client req = new Client(relay.requestEndpoint(), SocketType.REQ);
        Client dealer = new Client(relay.requestEndpoint(), SocketType.DEALER)) {
      assertThat(req.ask(bytes("PING"))).containsExactly("PONG", "");
      assertThat(dealer.ask(bytes("PING"))).containsExactly("PONG", "");
      assertThat(relay.metrics().requests("PONG")).isEqualTo(2);
    }
  }

  @Test
  void aValidHistoryRequestIsAcknowledgedAndReachesOnlyItsVenuesIngestors() {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelaySubscriber binance = new RelaySubscriber(relay.workQueueEndpoint(), List.of("BINANCE:"));
        RelaySubscriber kraken = new RelaySubscriber(relay.workQueueEndpoint(), List.of("KRAKEN:"));
        Client client = new Client(relay.requestEndpoint(), SocketType.DEALER)) {
      waitFor("both ingestors' subscriptions", () -> relay.metrics().workQueuePrefixes() == 2);
      byte[] payload = EventTypes.codec(HistoryRequest.class).encode(request().build());

      assertThat(client.ask(payload)).containsExactly("ACK", "req-1");

      RelayMessage work = binance.receive(Duration.ofSeconds(5)).orElseThrow();
      assertThat(work.topic()).isEqualTo("BINANCE:");
      assertThat(EventTypes.codec(HistoryRequest.class).decode(work.payload())).isEqualTo(request().build());
      assertThat(kraken.receive(Duration.ofMillis(300))).isEmpty();
      assertThat(relay.metrics().out(RelayMetrics.Channel.WORK_QUEUE)).isEqualTo(1);
    }
  }

  @Test
  void whenTheVenuesIngestorStopsTakingWorkTheClientHearsTheQueueIsFullInsteadOfAnAckForLostWork() {
    // tiny queues everywhere, so the ingestor's backlog reaches the high-water mark in a few hundred requests
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0).withHighWaterMark(5));
        Client client = new Client(relay.requestEndpoint(), SocketType.DEALER)) {
      ZMQ.Socket stuck = ZmqRuntime.context().createSocket(SocketType.SUB);
      try {
        stuck.setRcvHWM(5);
        stuck.setReceiveBufferSize(1024);
        stuck.setLinger(0);
        stuck.connect(relay.workQueueEndpoint());
        stuck.subscribe(bytes("BINANCE:"));
        waitFor("the ingestor's subscription", () -> relay.metrics().workQueuePrefixes() == 1);
        byte[] payload = EventTypes.codec(HistoryRequest.class).encode(request().build());
        long acked = 0;
        List<String> reply = client.ask(payload);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (reply.get(0).equals("ACK") && System.nanoTime() < deadline) {
          acked++;
          reply = client.ask(payload);
        }
        assertThat(reply).as("after " + acked + " acknowledged requests").containsExactly("ERROR",
            "the work queue for BINANCE: is full (its ingestor is not keeping up); try again later");
        assertThat(relay.metrics().dropped(RelayMetrics.Channel.WORK_QUEUE)).isEqualTo(1);
        assertThat(relay.metrics().out(RelayMetrics.Channel.WORK_QUEUE)).isEqualTo(acked);
        // every acknowledged request is really there for the ingestor, once it reads again
        long queued = 0;
        stuck.setReceiveTimeOut(2_000);
        while (stuck.recv() != null) {
          while (stuck.hasReceiveMore()) {
            stuck.recv();
          }
          queued++;
          if (queued == acked) {
            stuck.setReceiveTimeOut(300);
          }
        }
        assertThat(queued).isEqualTo(acked);
        assertThat(client.ask(payload)).as("the queue drained, requests are taken again").containsExactly("ACK",
            "req-1");
      } finally {
        ZmqRuntime.context().destroySocket(stuck);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not Avro          | garbage        | NOT_SINGLE_OBJECT",
      "two frames        | two-frames     | one frame",
      "not a request     | heartbeat      | is not a request the relay takes",
      "empty request id  | requestId=     | requestId ''",
      "id with a space   | requestId=a b  | requestId 'a b'",
      "bad ticker        | base=XRP/ETH   | base 'XRP/ETH'",
      "unknown data type | dataType=bars  | dataType 'bars'",
      "unknown timeframe | dataType=ohlc:7m | timeframe '7m'",
      "empty range       | toTime=2019-10-11T00:00:00Z | must be before",
      "nobody serves it  | exchange=COINBASE | no ingestor for COINBASE:"})
  void aBadRequestGetsAnErrorWithTheReasonAndTheRelayGoesOn(String name, String change, String reason) {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelaySubscriber binance = new RelaySubscriber(relay.workQueueEndpoint(), List.of("BINANCE:"));
        Client client = new Client(relay.requestEndpoint(), SocketType.DEALER)) {
      waitFor("the ingestor's subscription", () -> relay.metrics().workQueuePrefixes() == 1);
      List<String> reply;
      if (change.equals("garbage")) {
        reply = client.ask(bytes("{\"from\": 1}"));
      } else if (change.equals("two-frames")) {
        reply = client.ask(bytes("PING"), bytes("PING"));
      } else if (change.equals("heartbeat")) {
        reply = client.ask(EventTypes.codec(dev.tickflow.schemas.event.FeedHeartbeat.class).encode(
            dev.tickflow.schemas.event.FeedHeartbeat.newBuilder().setExchange("BINANCE").setBase("XRP")
                .setQuote("ETH").setIngestorId("x").setConnected(true).setLastMessageAgeMillis(0)
                .setEventTime(FROM).setIngestTime(FROM).build()));
      } else {
        String[] kv = change.split("=", 2);
        HistoryRequest.Builder b = request();
        java.util.Map<String, Consumer<String>> setters = java.util.Map.of(
            "requestId", b::setRequestId, "base", b::setBase, "dataType", b::setDataType,
            "exchange", b::setExchange, "toTime", v -> b.setToTime(Instant.parse(v)));
        setters.get(kv[0]).accept(kv[1]);
        reply = client.ask(EventTypes.codec(HistoryRequest.class).encode(b.build()));
      }
      assertThat(reply.get(0)).isEqualTo("ERROR");
      assertThat(reply.get(1)).contains(reason);
      assertThat(binance.receive(Duration.ofMillis(200))).as("nothing forwarded").isEmpty();
      assertThat(client.ask(bytes("PING"))).containsExactly("PONG", "");
      assertThat(relay.metrics().requests("ERROR")).isEqualTo(1);
    }
  }

  @Test
  void metricsAndHealthSayWhatFlowedAndWhoIsConnected() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0).withMetricsPort(0));
        RelaySubscriber sub = new RelaySubscriber(relay.fanoutEndpoint(), List.of("BINANCE:XRP/ETH|"));
        RelayPublisher pub = new RelayPublisher(relay.ingressEndpoint(), 1000)) {
      RelayTest.publishUntilReceived(pub, sub, "BINANCE:XRP/ETH|trade", "probe");
      long before = relay.metrics().in(RelayMetrics.Channel.INGRESS);
      for (int i = 0; i < 10; i++) {
        pub.publish("BINANCE:XRP/ETH|trade", bytes("t" + i));
      }
      for (int i = 0; i < 10; i++) {
        sub.receive(Duration.ofSeconds(5)).orElseThrow();
      }
      assertThat(relay.metrics().in(RelayMetrics.Channel.INGRESS)).isGreaterThanOrEqualTo(before + 10);
      assertThat(relay.metrics().subscribers()).isEqualTo(1);
      assertThat(relay.metrics().topicSubscriptions()).isEqualTo(1);

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + relay.metricsPort();
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("tickflow_relay_messages_in_total{channel=\"ingress\"} "
          + relay.metrics().in(RelayMetrics.Channel.INGRESS)).contains("tickflow_relay_subscribers 1")
          .contains("tickflow_relay_dropped_total{channel=\"work_queue\"} 0");
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\" : \"UP\"").contains(relay.fanoutEndpoint())
          .contains("\"dropped\" : 0");
    }
  }

  private static void waitFor(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
