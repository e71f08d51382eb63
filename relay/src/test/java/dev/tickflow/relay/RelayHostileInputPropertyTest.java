package dev.tickflow.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.relay.requests.ClientRequests;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Ten thousand generated hostile inputs at a real relay over real ZeroMQ sockets: requests of any frame count,
 * random bytes, truncated and bit-flipped history requests, history requests with impossible fields; and, with
 * each, garbage frames from a publisher on the market-data ingress. Every request gets its two-frame answer (an
 * ERROR always with a reason), the relay never stops, and every hundredth case a real market-data message still
 * reaches a subscriber, decoded intact, behind whatever garbage was published before it; a subscriber to every
 * topic reads all the garbage through its own frame and sequence-stamp parsing without failing.
 */
class RelayHostileInputPropertyTest {

  private static final Instant FROM = Instant.parse("2019-10-11T00:00:00Z");
  private static Relay relay;
  private static ZMQ.Socket client;
  private static ZMQ.Socket garbagePublisher;
  private static RelayPublisher publisher;
  private static RelaySubscriber subscriber;
  /** Subscribed to everything, so the relay forwards all the garbage, and the client's parser reads it. */
  private static RelaySubscriber everything;
  private static long cases;

  record Request(String what, List<byte[]> frames) {
    @Override
    public String toString() {
      return what + " (" + frames.size() + " frames)";
    }
  }

  @Property(tries = 10_000, seed = "20261124", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
  void everyRequestIsAnsweredAndMarketDataStillFlows(@ForAll("requests") Request request,
      @ForAll("garbage") List<byte[]> published) {
    start();
    for (int i = 0; i < published.size(); i++) {
      garbagePublisher.send(published.get(i), i < published.size() - 1 ? ZMQ.SNDMORE : 0);
    }
    for (int i = 0; i < request.frames().size(); i++) {
      client.send(request.frames().get(i), i < request.frames().size() - 1 ? ZMQ.SNDMORE : 0);
    }
    byte[] status = client.recv();
    assertThat(status).as("an answer to " + request).isNotNull();
    if (request.frames().get(0).length == 0) {
      // a leading empty frame is a REQ envelope's delimiter: the relay mirrors it, as ZeroMQ routers do
      assertThat(status).isEmpty();
      assertThat(client.hasReceiveMore()).isTrue();
      status = client.recv();
    }
    assertThat(client.hasReceiveMore()).isTrue();
    String detail = client.recvStr();
    assertThat(client.hasReceiveMore()).as("two frames").isFalse();
    while (everything.receive(Duration.ZERO).isPresent()) {
      // garbage out of the fan-out, through the subscriber's own frame and sequence-stamp parsing
    }
    String s = new String(status, StandardCharsets.UTF_8);
    assertThat(s).isIn(ClientRequests.PONG, ClientRequests.ERROR);
    if (s.equals(ClientRequests.ERROR)) {
      assertThat(detail).as("the reason for refusing " + request).isNotBlank();
    }

    if (++cases % 100 == 0) {
      // a real candle update behind the garbage: it arrives whole (garbage topics do not match the prefix)
      byte[] payload = ("update " + cases).getBytes(StandardCharsets.UTF_8);
      String topic = "BINANCE:XRP/ETH|ohlc:1m";
      Optional<RelayMessage> got = Optional.empty();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (got.isEmpty() && System.nanoTime() < deadline) {
        publisher.publish(topic, payload);
        got = subscriber.receive(Duration.ofMillis(200));
      }
      assertThat(got).as("market data still flows after " + cases + " hostile cases").isPresent();
      assertThat(got.get().topic()).isEqualTo(topic);
      assertThat(got.get().payload()).isEqualTo(payload);
      drainSubscriber();
    }
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Arbitraries.frequencyOf(
        Tuple.of(2, bytes.map(b -> new Request("random bytes", List.of(b)))),
        Tuple.of(1, bytes.list().ofMinSize(2).ofMaxSize(5).map(f -> new Request("several frames", f))),
        Tuple.of(1, Arbitraries.of("ping", "PING ", " PING", "PONG", "PINGPING", "", "\u0000")
            .map(t -> new Request("not quite PING '" + t + "'", List.of(t.getBytes(StandardCharsets.UTF_8))))),
        Tuple.of(3, badHistoryRequests()),
        Tuple.of(1, Combinators.combine(validRequests(), Arbitraries.integers().between(0, 400))
            .as((r, cut) -> {
              byte[] full = EventTypes.codec(HistoryRequest.class).encode(r);
              return new Request("truncated history request",
                  List.of(java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1))));
            })),
        Tuple.of(1, Combinators.combine(validRequests(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 7))
            .as((r, at, bit) -> {
              byte[] b = EventTypes.codec(HistoryRequest.class).encode(r);
              b[at % b.length] ^= (byte) (1 << bit);
              return new Request("bit-flipped history request", List.of(b));
            })),
        // a valid request: no ingestor listens, so the answer is an ERROR that says so
        Tuple.of(1, validRequests().map(r -> new Request("valid, no ingestor",
            List.of(EventTypes.codec(HistoryRequest.class).encode(r))))));
  }

  @Provide
  Arbitrary<List<byte[]>> garbage() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).list().ofMinSize(0).ofMaxSize(4);
  }

  private Arbitrary<Request> badHistoryRequests() {
    return Combinators.combine(validRequests(), Arbitraries.integers().between(0, 7)).as((r, field) -> {
      HistoryRequest.Builder b = HistoryRequest.newBuilder(r);
      String what = switch (field) {
        case 0 -> { b.setRequestId(""); yield "empty request id"; }
        case 1 -> { b.setExchange(""); yield "empty exchange"; }
        case 2 -> { b.setBase(" "); yield "blank base"; }
        case 3 -> { b.setToTime(r.getFromTime().minusSeconds(1)); yield "to before from"; }
        case 4 -> { b.setDataType("ohlc:7q"); yield "unknown data type"; }
        case 5 -> { b.setFromTime(Instant.parse("1970-01-01T00:00:00Z")); yield "from 1970"; }
        case 6 -> { b.setExchange("BIN|ANCE"); yield "exchange with a separator"; }
        default -> { b.setQuote("ETH/BTC"); yield "quote with a slash"; }
      };
      return new Request(what, List.of(EventTypes.codec(HistoryRequest.class).encode(b.build())));
    });
  }

  private Arbitrary<HistoryRequest> validRequests() {
    return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
            Arbitraries.of("BINANCE", "COINBASE", "KRAKEN"), Arbitraries.longs().between(0, 86_400L * 365),
            Arbitraries.longs().between(60, 86_400L))
        .as((id, exchange, offset, length) -> HistoryRequest.newBuilder().setRequestId(id).setClientId("prop")
            .setExchange(exchange).setBase("XRP").setQuote("ETH").setDataType("ohlc:1m")
            .setFromTime(FROM.plusSeconds(offset)).setToTime(FROM.plusSeconds(offset + length))
            .setEventTime(FROM).setIngestTime(FROM).build());
  }

  private static void start() {
    if (relay != null) {
      return;
    }
    relay = Relay.start(RelayConfig.loopback(0, 0, 0, 0));
    client = ZmqRuntime.context().createSocket(SocketType.DEALER);
    client.setLinger(0);
    client.setReceiveTimeOut(5_000);
    client.connect(relay.requestEndpoint());
    garbagePublisher = ZmqRuntime.context().createSocket(SocketType.PUB);
    garbagePublisher.setLinger(0);
    garbagePublisher.connect(relay.ingressEndpoint());
    publisher = new RelayPublisher(relay.ingressEndpoint(), 100_000);
    subscriber = new RelaySubscriber(relay.fanoutEndpoint(), List.of("BINANCE:XRP/ETH|"));
    everything = new RelaySubscriber(relay.fanoutEndpoint(), List.of(""));
  }

  private static void drainSubscriber() {
    while (subscriber.receive(Duration.ofMillis(1)).isPresent()) {
      // the earlier copies of the probe
    }
  }

  @AfterContainer
  static void stop() {
    List<AutoCloseable> parts = new ArrayList<>();
    if (subscriber != null) {
      parts.add(subscriber);
      parts.add(everything);
    }
    if (publisher != null) {
      parts.add(publisher);
    }
    for (AutoCloseable p : parts) {
      try {
        p.close();
      } catch (Exception e) {
        // closing test sockets
      }
    }
    if (client != null) {
      ZmqRuntime.context().destroySocket(client);
      ZmqRuntime.context().destroySocket(garbagePublisher);
    }
    if (relay != null) {
      assertThat(relay.running()).as("the relay survived every case").isTrue();
      relay.close();
    }
    relay = null;
  }
}
