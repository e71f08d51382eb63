package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.relay.security.CurveClient;
import dev.tickflow.relay.security.CurveKeyPair;
import dev.tickflow.relay.security.RelayCurve;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** CURVE on the relay's channels, over real sockets: a listed key gets in, anybody else gets nothing. */
class RelayCurveTest {

  private static final String TOPIC = "BINANCE:XRP/ETH|ohlc:1m";

  private final CurveKeyPair server = CurveKeyPair.generate();
  private final CurveKeyPair known = CurveKeyPair.generate();
  private final CurveKeyPair stranger = CurveKeyPair.generate();

  private RelayConfig curveRelay() {
    return RelayConfig.loopback(0, 0).withCurve(new RelayCurve(server, Set.of(known.publicKey())));
  }

  @Test
  void aListedClientSubscribesAndPublishesWhileAStrangerAndAPlainClientReceiveNothing() {
    CurveClient knownKeys = new CurveClient(server.publicKey(), known);
    try (Relay relay = Relay.start(curveRelay());
        RelaySubscriber listed = new RelaySubscriber(relay.fanoutEndpoint(), List.of(TOPIC), knownKeys);
        RelaySubscriber unlisted = new RelaySubscriber(relay.fanoutEndpoint(), List.of(TOPIC),
            new CurveClient(server.publicKey(), stranger));
        RelaySubscriber plain = new RelaySubscriber(relay.fanoutEndpoint(), List.of(TOPIC));
        RelayPublisher publisher = new RelayPublisher(relay.ingressEndpoint(), 1000, knownKeys)) {
      RelayTest.publishUntilReceived(publisher, listed, TOPIC, "probe");
      for (int i = 0; i < 20; i++) {
        publisher.publish(TOPIC, "candle".getBytes(StandardCharsets.UTF_8));
      }
      assertThat(listed.receive(Duration.ofSeconds(5))).isPresent();
      assertThat(unlisted.receive(Duration.ofMillis(500))).as("a key not on the list").isEmpty();
      assertThat(plain.receive(Duration.ofMillis(500))).as("no CURVE at all").isEmpty();
      assertThat(relay.metrics().subscribers()).as("only the listed subscriber completed a handshake")
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aStrangersPublisherReachesNobody() {
    try (Relay relay = Relay.start(curveRelay());
        RelaySubscriber listed = new RelaySubscriber(relay.fanoutEndpoint(), List.of(TOPIC),
            new CurveClient(server.publicKey(), known));
        RelayPublisher intruder = new RelayPublisher(relay.ingressEndpoint(), 1000,
            new CurveClient(server.publicKey(), stranger))) {
      for (int i = 0; i < 20; i++) {
        intruder.publish(TOPIC, "forged".getBytes(StandardCharsets.UTF_8));
        assertThat(listed.receive(Duration.ofMillis(50))).isEmpty();
      }
      assertThat(relay.metrics().in(RelayMetrics.Channel.INGRESS)).isZero();
    }
  }

  @Test
  void onlyAListedClientGetsAnAnswerToARequest() {
    try (Relay relay = Relay.start(curveRelay())) {
      assertThat(ping(relay.requestEndpoint(), new CurveClient(server.publicKey(), known))).isEqualTo("PONG");
      assertThat(ping(relay.requestEndpoint(), new CurveClient(server.publicKey(), stranger))).isNull();
      assertThat(ping(relay.requestEndpoint(), null)).isNull();
      assertThat(relay.metrics().in(RelayMetrics.Channel.REQUESTS)).isEqualTo(1);
    }
  }

  @Test
  void keysAreReadFromFilesAndABadLineIsNamed(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("relay.key");
    server.save(keys);
    assertThat(CurveKeyPair.load(keys)).isEqualTo(server);
    Path allow = dir.resolve("clients.allow");
    Files.writeString(allow, "# who may connect\n" + known.publicKey() + "  notebook of ana\n\n");
    assertThat(RelayCurve.load(keys, allow).allowedClients()).containsExactly(known.publicKey());

    Files.writeString(allow, known.publicKey() + "\nnot-a-key\n");
    assertThatThrownBy(() -> RelayCurve.load(keys, allow)).hasMessageContaining("line 2")
        .hasMessageContaining("40-character Z85");
  }

  @Test
  void keygenWritesAPairAndTheRelaySaysWhatItsCurveOptionsLack(@TempDir Path dir) throws Exception {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new dev.tickflow.relay.cli.RelayCommand())
        .setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err));
    Path keys = dir.resolve("relay.key");
    assertThat(cli.execute("keygen", keys.toString())).isZero();
    assertThat(out.toString().strip()).isEqualTo(CurveKeyPair.load(keys).publicKey());

    assertThat(cli.execute("keygen", keys.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("add --force");
    assertThat(cli.execute("--curve-keys", keys.toString(), "--metrics-port", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("CURVE needs both --curve-keys and --curve-allow");
  }

  /** The reply's status, or null when none came within a second. */
  private static String ping(String endpoint, CurveClient keys) {
    ZMQ.Socket dealer = ZmqRuntime.context().createSocket(SocketType.DEALER);
    try {
      dealer.setLinger(0);
      dealer.setReceiveTimeOut(1000);
      if (keys != null) {
        keys.applyTo(dealer);
      }
      dealer.connect(endpoint);
      dealer.send("PING");
      byte[] status = dealer.recv();
      while (dealer.hasReceiveMore()) {
        dealer.recv();
      }
      return status == null ? null : new String(status, StandardCharsets.UTF_8);
    } finally {
      ZmqRuntime.context().destroySocket(dealer);
    }
  }
}
