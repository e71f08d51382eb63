package dev.tickflow.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.relay.security.CurveClient;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.relay.security.CurveKeyPair;
import dev.tickflow.relay.security.RelayCurve;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Quote;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay sink in a real Flink job, publishing through a relay with CURVE on. */
class RelaySinkTest {

  private static final String TOPIC = "BINANCE:XRP/ETH|quote";

  private final CurveKeyPair server = CurveKeyPair.generate();
  private final CurveKeyPair job = CurveKeyPair.generate();
  private final CurveKeyPair reader = CurveKeyPair.generate();

  @Test
  void aJobPublishesThroughACurveRelayWithTheKeyFileReadOnTheTaskManager(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("job.key");
    job.save(keyFile);
    RelaySink<Quote> sink = new RelaySink<>("tcp://127.0.0.1:1", new CurveClientKeys(server.publicKey(),
        keyFile.toString()), Quote.class, q -> TOPIC);
    assertThat(new String(InstantiationUtil.serializeObject(sink), StandardCharsets.ISO_8859_1))
        .as("what the job graph carries").contains(keyFile.toString()).doesNotContain(job.secretKey());

    try (Relay relay = Relay.start(RelayConfig.loopback(0, 0)
            .withCurve(new RelayCurve(server, Set.of(job.publicKey(), reader.publicKey()))));
        RelaySubscriber subscriber = new RelaySubscriber(relay.fanoutEndpoint(), List.of(TOPIC),
            new CurveClient(server.publicKey(), reader))) {
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(1);
      // unbounded and paced: the sink's subscription view settles while quotes keep coming
      env.fromSource(new DataGeneratorSource<>(RelaySinkTest::quote, Long.MAX_VALUE, RateLimiterStrategy.perSecond(50),
              TypeInformation.of(Quote.class)), WatermarkStrategy.noWatermarks(), "quotes")
          .sinkTo(new RelaySink<>(relay.ingressEndpoint(), new CurveClientKeys(server.publicKey(), keyFile.toString()),
              Quote.class, q -> TOPIC));
      JobClient running = env.executeAsync("relay sink with CURVE");
      try {
        RelayMessage first = subscriber.receive(Duration.ofSeconds(60)).orElseThrow(
            () -> new AssertionError("no quote through the CURVE relay within 60 s"));
        RelayMessage second = subscriber.receive(Duration.ofSeconds(10)).orElseThrow();
        assertThat(first.topic()).isEqualTo(TOPIC);
        Quote a = EventTypes.codec(Quote.class).decode(first.payload());
        Quote b = EventTypes.codec(Quote.class).decode(second.payload());
        assertThat(b.getBidPrice()).isEqualByComparingTo(a.getBidPrice().add(new BigDecimal("0.00000001")));
        assertThat(subscriber.losses().total()).isZero();
      } finally {
        running.cancel().get();
      }
    }
  }

  private static Quote quote(long i) {
    Instant t = Instant.ofEpochMilli(1_570_752_000_000L + i);
    return Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setBidPrice(new BigDecimal("0.00141342").add(new BigDecimal("0.00000001").multiply(BigDecimal.valueOf(i))))
        .setBidAmount(new BigDecimal("31.21")).setAskPrice(new BigDecimal("0.01"))
        .setAskAmount(new BigDecimal("40.66")).setEventTime(t).setIngestTime(t).build();
  }
}
