package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.relay.cli.TailCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RelayTest {

  private static final String CANDLES = "BINANCE:XRP/ETH|ohlc:1m";

  @Test
  void fansOutOnlyTheTopicsASubscriberAskedFor() {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0));
        RelaySubscriber candles = new RelaySubscriber(relay.fanoutEndpoint(), List.of(CANDLES));
        RelaySubscriber everything = new RelaySubscriber(relay.fanoutEndpoint(), List.of("BINANCE:XRP/ETH|"));
        RelayPublisher publisher = new RelayPublisher(relay.ingressEndpoint(), 1000)) {

      // ZeroMQ subscriptions reach a publisher asynchronously: publish until the first one arrives.
      RelayMessage first = publishUntilReceived(publisher, candles, CANDLES, "probe");
      assertThat(first.topic()).isEqualTo(CANDLES);
      publishUntilReceived(publisher, everything, CANDLES, "probe");
      drain(candles);
      drain(everything);

      publisher.publish("BINANCE:XRP/ETH|trades", bytes("t1"));
      publisher.publish("BINANCE:BTC/USDT|ohlc:1m", bytes("other ticker"));
      publisher.publish(CANDLES, bytes("c1"));

      RelayMessage c1 = candles.receive(Duration.ofSeconds(5)).orElseThrow();
      assertThat(c1.topic()).isEqualTo(CANDLES);
      assertThat(new String(c1.payload(), StandardCharsets.UTF_8)).isEqualTo("c1");
      assertThat(candles.receive(Duration.ofMillis(300))).isEmpty();

      List<String> topics = new ArrayList<>();
      for (Optional<RelayMessage> m = everything.receive(Duration.ofSeconds(5)); m.isPresent();
          m = everything.receive(Duration.ofMillis(300))) {
        topics.add(m.get().topic());
      }
      assertThat(topics).containsExactly("BINANCE:XRP/ETH|trades", CANDLES);
    }
  }

  @Test
  void aRestartedRelayOnTheSamePortServesAgain() {
    String ingress;
    String fanout;
    RelayConfig again;
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0))) {
      ingress = relay.ingressEndpoint();
      fanout = relay.fanoutEndpoint();
      again = RelayConfig.loopback(0, 0).at(ingress, fanout, relay.requestEndpoint(), relay.workQueueEndpoint());
    }
    try (Relay relay = Relay.start(again);
        RelaySubscriber sub = new RelaySubscriber(fanout, List.of(CANDLES));
        RelayPublisher pub = new RelayPublisher(ingress, 1000)) {
      assertThat(publishUntilReceived(pub, sub, CANDLES, "again").topic()).isEqualTo(CANDLES);
    }
  }

  @Test
  void aRelayRestartedMidStreamIsFoundAgainByTheSamePublisherAndSubscriber() {
    Relay first = Relay.start(RelayConfig.loopback(0, 0));
    RelayConfig same = RelayConfig.loopback(0, 0).at(first.ingressEndpoint(), first.fanoutEndpoint(),
        first.requestEndpoint(), first.workQueueEndpoint());
    try (RelaySubscriber sub = new RelaySubscriber(first.fanoutEndpoint(), List.of(CANDLES));
        RelayPublisher pub = new RelayPublisher(first.ingressEndpoint(), 1000)) {
      assertThat(publishUntilReceived(pub, sub, CANDLES, "before").topic()).isEqualTo(CANDLES);
      first.close();
      try (Relay second = Relay.start(same)) {
        // neither peer was touched: ZeroMQ reconnects both and the subscription is sent again
        RelayMessage after = publishUntilReceived(pub, sub, CANDLES, "after");
        drain(sub);
        assertThat(second.metrics().subscribers()).isEqualTo(1);
        assertThat(new String(after.payload(), StandardCharsets.UTF_8)).isIn("before", "after");
        pub.publish(CANDLES, bytes("resumed"));
        assertThat(sub.receive(Duration.ofSeconds(5)).map(m -> new String(m.payload(), StandardCharsets.UTF_8)))
            .contains("resumed");
      }
    }
  }

  @Test
  void aSubscriberThatStopsReadingLosesItsOwnMessagesAndNobodyElseWaits() throws Exception {
    int total = 100_000;
    byte[] kilobyte = new byte[1024];
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0).withHighWaterMark(2000));
        RelaySubscriber fast = new RelaySubscriber(relay.fanoutEndpoint(), List.of(CANDLES));
        RelaySubscriber slow = new RelaySubscriber(relay.fanoutEndpoint(), List.of(CANDLES));
        RelayPublisher pub = new RelayPublisher(relay.ingressEndpoint(), RelayConfig.DEFAULT_HIGH_WATER_MARK)) {
      publishUntilReceived(pub, fast, CANDLES, "probe");
      publishUntilReceived(pub, slow, CANDLES, "probe");
      drain(fast);
      drain(slow);
      // the slow one reads nothing from here on; the fast one keeps up, batch by batch
      long dropped = 0;
      int fastGot = 0;
      for (int sent = 0; sent < total; ) {
        for (int i = 0; i < 200; i++, sent++) { // well under the high-water mark: the fast one never falls behind
          dropped += pub.publish(CANDLES, kilobyte) ? 0 : 1;
        }
        for (; fastGot < sent; fastGot++) {
          assertThat(fast.receive(Duration.ofSeconds(10))).as("fast subscriber's message " + fastGot).isPresent();
        }
      }
      assertThat(dropped).as("the publisher never had to drop").isZero();
      assertThat(fast.receive(Duration.ofMillis(200))).as("nothing more for the fast one").isEmpty();
      int slowGot = 0;
      while (slow.receive(Duration.ofMillis(500)).isPresent()) {
        slowGot++;
      }
      assertThat(slowGot).as("what the slow subscriber still got").isLessThan(total / 2);
      // one more message, now that it reads again: everything before it it did not get, it counted as lost
      assertThat(publishUntilReceived(pub, slow, CANDLES, "end").payload()).isEqualTo(bytes("end"));
      assertThat(slow.losses().total()).as("lost by the slow subscriber, from sequence gaps")
          .isEqualTo(total - slowGot).isEqualTo(slow.losses().lost(CANDLES));
      assertThat(fast.losses().total()).as("lost by the fast one").isZero();
    }
  }

  @Test
  void tailRefusesToRunWithoutATopicAndSaysWhy() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TailCommand()).setErr(new PrintWriter(err));
    assertThat(cli.execute()).isEqualTo(2);
    assertThat(err.toString()).contains("give at least one topic prefix");
    assertThat(cli.execute("--timeout", "soon", "X")).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");
    assertThat(cli.execute("--format", "xml", "X")).isEqualTo(2);
    assertThat(err.toString()).contains("--format must be json or table");
    assertThat(cli.execute("--curve-keys", "k", "X")).isEqualTo(2);
    assertThat(err.toString()).contains("CURVE needs both");
  }

  @Test
  void tailPrintsATableLineWithExactDecimals() {
    byte[] candle = dev.tickflow.schemas.codec.EventTypes.codec(dev.tickflow.schemas.event.Quote.class).encode(
        dev.tickflow.schemas.event.Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
            .setBidPrice(new java.math.BigDecimal("0.001413420000000000"))
            .setBidAmount(new java.math.BigDecimal("31.210000000000000000"))
            .setAskPrice(new java.math.BigDecimal("0.001414180000000000"))
            .setAskAmount(new java.math.BigDecimal("40.660000000000000000"))
            .setEventTime(java.time.Instant.EPOCH).setIngestTime(java.time.Instant.EPOCH).build());
    String line = TailCommand.table(new RelayMessage("BINANCE:XRP/ETH|quote", candle));
    assertThat(line).startsWith("BINANCE:XRP/ETH|quote").contains("  bidPrice=0.00141342")
        .contains("  askAmount=40.66");
  }

  @Test
  void tailExitsWithOneWhenNothingArrivesInTime() {
    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0))) {
      CommandLine cli = new CommandLine(new TailCommand()).setErr(new PrintWriter(new StringWriter()));
      assertThat(cli.execute("--endpoint", relay.fanoutEndpoint(), "--timeout", "300ms", CANDLES)).isEqualTo(1);
    }
  }

  static RelayMessage publishUntilReceived(RelayPublisher pub, RelaySubscriber sub, String topic, String body) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      pub.publish(topic, bytes(body));
      Optional<RelayMessage> m = sub.receive(Duration.ofMillis(100));
      if (m.isPresent()) {
        return m.get();
      }
    }
    throw new AssertionError("no message on " + topic + " within 10 s");
  }

  static void drain(RelaySubscriber sub) {
    while (sub.receive(Duration.ofMillis(200)).isPresent()) {
      // probes published while the subscriptions settled
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
