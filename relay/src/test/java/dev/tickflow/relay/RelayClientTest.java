package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.HistoryStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The client library against a real relay and real peers on its other channels. */
class RelayClientTest {

  private static final Instant FROM = Instant.parse("2019-10-11T00:00:00Z");
  private static final String TOPIC = "BINANCE:XRP/ETH|ohlc:1m";

  private static HistoryRequest request(String id, String exchange) {
    return HistoryRequest.newBuilder().setRequestId(id).setClientId("client-1").setExchange(exchange).setBase("XRP")
        .setQuote("ETH").setDataType("trades").setFromTime(FROM).setToTime(FROM.plusSeconds(600))
        .setEventTime(FROM).setIngestTime(FROM).build();
  }

  @Test
  void aCallbackSubscriptionGetsItsTopicAndStopsWhenClosed() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelayPublisher pub = new RelayPublisher(relay.ingressEndpoint(), 1000)) {
      RelayClient client = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(), null);
      List<RelayMessage> got = new CopyOnWriteArrayList<>();
      RelayClient.Subscription subscription = client.subscribe(List.of(TOPIC), got::add);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        pub.publish(TOPIC, "bar".getBytes(StandardCharsets.UTF_8));
        TimeUnit.MILLISECONDS.sleep(20); // pacing the publisher, not synchronising: the loop waits on 'got'
      }
      assertThat(got).isNotEmpty().allSatisfy(m -> assertThat(m.topic()).isEqualTo(TOPIC));
      subscription.close();
      int before = got.size();
      pub.publish(TOPIC, "after close".getBytes(StandardCharsets.UTF_8));
      try (RelaySubscriber witness = client.open(List.of(TOPIC))) {
        RelayTest.publishUntilReceived(pub, witness, TOPIC, "later");
      }
      assertThat(got).hasSize(before);
    }
  }

  @Test
  void aBlockingIteratorYieldsMessagesInOrderAndEndsWhenItsThreadIsInterrupted() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelayPublisher pub = new RelayPublisher(relay.ingressEndpoint(), 1000)) {
      RelayClient client = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(), null);
      List<String> got = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
      Thread reader = new Thread(() -> {
        try (RelaySubscriber sub = client.open(List.of(TOPIC))) {
          for (RelayMessage m : sub.messages()) {
            got.add(new String(m.payload(), StandardCharsets.UTF_8));
          }
          ended.set(true);
        }
      });
      reader.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) { // until the subscription is through
        pub.publish(TOPIC, "probe".getBytes(StandardCharsets.UTF_8));
        TimeUnit.MILLISECONDS.sleep(20); // pacing the publisher, not synchronising: the loop waits on 'got'
      }
      for (int i = 0; i < 100; i++) {
        pub.publish(TOPIC, ("bar-" + i).getBytes(StandardCharsets.UTF_8));
      }
      while (!got.contains("bar-99") && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      List<String> bars = got.stream().filter(m -> m.startsWith("bar-")).toList();
      assertThat(bars).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).mapToObj(i -> "bar-" + i)
          .toList());
      reader.interrupt();
      reader.join(5_000);
      assertThat(ended).as("the loop ended when its thread was interrupted").isTrue();
    }
  }

  @Test
  void pingMeasuresTheRoundTripAndANoShowIsATimeout() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0))) {
      RelayClient client = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(), null);
      assertThat(client.ping(Duration.ofSeconds(5))).isPositive();
    }
    RelayClient nobody = new RelayClient("tcp://127.0.0.1:1", "tcp://127.0.0.1:" + freePort(), null);
    assertThatThrownBy(() -> nobody.ping(Duration.ofMillis(300))).isInstanceOf(TimeoutException.class)
        .hasMessageContaining("did not answer within");
  }

  @Test
  void aHistoryRequestCompletesWithItsNotification() throws Exception {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelaySubscriber ingestor = new RelaySubscriber(relay.workQueueEndpoint(), List.of("BINANCE:"));
        RelayPublisher job = new RelayPublisher(relay.ingressEndpoint(), 1000)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (relay.metrics().workQueuePrefixes() == 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10); // polling a condition with a deadline
      }
      RelayClient client = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(), null);
      CompletableFuture<HistoryReadyNotification> answer =
          client.requestHistory(request("req-42", "BINANCE"), Duration.ofSeconds(20));

      // the ingestor's side: the request arrives on the work queue; then, as the history job does once the rows
      // are committed, the notification goes out on HISTORY_READY:<id> (repeated here until it is heard, since a
      // subscription reaches a fresh publisher asynchronously)
      RelayMessage work = ingestor.receive(Duration.ofSeconds(10)).orElseThrow();
      HistoryRequest received = EventTypes.codec(HistoryRequest.class).decode(work.payload());
      HistoryReadyNotification ready = HistoryReadyNotification.newBuilder().setRequestId(received.getRequestId())
          .setClientId(received.getClientId()).setStatus(HistoryStatus.OK).setTable("market.trades")
          .setSnapshotId(7L).setRowCount(1234).setEventTime(FROM).setIngestTime(FROM).build();
      byte[] payload = EventTypes.codec(HistoryReadyNotification.class).encode(ready);
      while (!answer.isDone()) {
        job.publish(RelayClient.HISTORY_READY + received.getRequestId(), payload);
        TimeUnit.MILLISECONDS.sleep(50); // pacing, see above
      }
      HistoryReadyNotification got = answer.get();
      assertThat(got.getRowCount()).isEqualTo(1234);
      assertThat(got.getTable()).isEqualTo("market.trades");
      assertThat(got.getSnapshotId()).isEqualTo(7L);
    }
  }

  @Test
  void aRefusedHistoryRequestFailsWithTheRelaysReason() {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0))) {
      RelayClient client = new RelayClient(relay.fanoutEndpoint(), relay.requestEndpoint(), null);
      CompletableFuture<HistoryReadyNotification> answer =
          client.requestHistory(request("req-43", "KRAKEN"), Duration.ofSeconds(10));
      assertThatThrownBy(answer::get).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RelayClient.RelayRequestException.class)
          .hasMessageContaining("no ingestor for KRAKEN:");
    }
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
