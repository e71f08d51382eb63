package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand hostile records in the raw topic, on the same partition as two hours of real Binance trades and
 * interleaved with them: random bytes, truncated encodings, trades with impossible fields, and trades stamped in
 * the year 9999 (in the payload and in the event-time header the watermark reads) meant to push event time past
 * every real trade. The job keeps running without a restart; each hostile record is in the dead-letter topic
 * once, with its reason and its bytes; and the real trades still make candles equal to Binance's klines, every
 * trade once.
 */
class HostileInputIT {

  private static final int HOSTILE = 10_000;
  private static final String KEY = "BINANCE:XRP/ETH";
  private static final Instant HALF = Instant.parse("2019-10-11T01:00:00Z");
  private static final Instant UNTIL = Instant.parse("2019-10-11T02:00:00Z");

  @TempDir Path tmp;

  @Test
  void hostileRecordsAreDeadLetteredAndTheRealTradesAroundThemStillMakeExactCandles() throws Exception {
    List<byte[]> hostile = generate(new Random(20261124));
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(tmp.resolve("data")))) {
      String bootstrap = stack.kafkaBootstrap();
      produce(bootstrap, hostile.subList(0, HOSTILE / 2));
      Probes.replay(bootstrap, HALF);
      produce(bootstrap, hostile.subList(HOSTILE / 2, HOSTILE));
      Probes.replay(bootstrap, UNTIL); // the first hour again (duplicates) and the second

      long lastBar = SampleExpectations.lastFinalBar(UNTIL);
      Probes.awaitCandle(stack.catalog(), lastBar, Duration.ofSeconds(180));
      List<DeadLetter> dead = new ArrayList<>();
      Probes.waitFor(HOSTILE + " dead letters committed", Duration.ofSeconds(120), () -> {
        dead.clear();
        Probes.readCommitted(bootstrap, Topic.DEADLETTER.topicName())
            .forEach(r -> dead.add(EventTypes.codec(DeadLetter.class).decode(r.value())));
        return dead.size() >= HOSTILE;
      });
      java.util.Set<String> hostileBytes = counts(hostile, b -> b).keySet();
      assertThat(dead.stream().filter(d -> !hostileBytes.contains(HexFormat.of().formatHex(bytes(d.getPayload()))))
          .map(d -> d.getStage() + " " + d.getErrorType() + ": " + d.getReason()).toList())
          .as("nothing but the hostile records dead-lettered").isEmpty();
      assertThat(dead).as("each hostile record dead-lettered once").hasSize(HOSTILE)
          .allSatisfy(d -> {
            assertThat(d.getSourceTopic()).isEqualTo(Topic.MARKET_DATA_RAW.topicName());
            assertThat(d.getErrorType()).isNotBlank();
            assertThat(d.getReason()).isNotBlank();
          });
      Map<String, Long> sent = counts(hostile, b -> b);
      Map<String, Long> kept = counts(dead, d -> bytes(d.getPayload()));
      assertThat(kept).as("the original bytes of every hostile record").isEqualTo(sent);
      Map<String, Long> byType = dead.stream().collect(Collectors.groupingBy(DeadLetter::getErrorType,
          TreeMap::new, Collectors.counting()));
      assertThat(byType).containsKeys("IMPOSSIBLE_TIME", "INVALID_PRICE", "INVALID_TICKER");

      try (SqlRunner sql = new SqlRunner(stack.catalog())) {
        SampleExpectations.assertLakeBarsEqualKlines(sql, lastBar);
        List<Object> trades = sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades").get(0);
        long expected = SampleExpectations.tradesBefore(UNTIL);
        assertThat(((Number) trades.get(0)).longValue()).as("every real trade, once").isEqualTo(expected);
        assertThat(((Number) trades.get(1)).longValue()).isEqualTo(expected);
      }
      assertThat(jobRestarts(stack.flink().webUi())).as("the job never restarted").isZero();
    }
  }

  /** Hostile records of five kinds, in a shuffled order. */
  private static List<byte[]> generate(Random random) {
    List<byte[]> out = new ArrayList<>();
    Instant t = Instant.parse("2019-10-11T00:30:00Z");
    for (int i = 0; i < HOSTILE; i++) {
      RawTrade.Builder valid = RawTrade.newBuilder().setExchange("BINANCE").setSymbol("XRP/ETH")
          .setVenueSymbol("XRPETH").setTradeId("hostile-" + i).setPrice("0.00141342").setAmount("23")
          .setSide(Side.BUY).setEventTime(t).setIngestTime(t).setFormat("hostile").setInfo(Map.of());
      byte[] record = switch (i % 5) {
        case 0 -> {
          byte[] b = new byte[1 + random.nextInt(300)];
          random.nextBytes(b);
          yield b;
        }
        case 1 -> {
          byte[] full = EventTypes.codec(RawTrade.class).encode(valid.build());
          yield Arrays.copyOf(full, 1 + random.nextInt(full.length - 1));
        }
        case 2 -> EventTypes.codec(RawTrade.class).encode(valid.setPrice(
            List.of("0", "-1", "abc", "1e999999999", "1e-999999999", "", "NaN").get(random.nextInt(7))).build());
        case 3 -> EventTypes.codec(RawTrade.class).encode(valid.setSymbol(
            List.of("XRPETH", "/ETH", "XRP/", "XRP|X/ETH", "").get(random.nextInt(5))).build());
        default -> {
          Instant future = Instant.parse("9999-12-31T00:00:00Z").minusSeconds(random.nextInt(86_400));
          yield EventTypes.codec(RawTrade.class).encode(valid.setEventTime(future).setIngestTime(future).build());
        }
      };
      out.add(record);
    }
    java.util.Collections.shuffle(out, random);
    return out;
  }

  private static void produce(String bootstrap, List<byte[]> records) throws Exception {
    try (Producer<String, byte[]> producer = new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrap))) {
      for (byte[] value : records) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topic.MARKET_DATA_RAW.topicName(), KEY, value);
        if (value.length > 2 && value[0] == (byte) 0xC3 && value[1] == 0x01) {
          // the header an ingestor sets, here with the record's own (possibly year-9999) time
          try {
            long time = EventTypes.codec(RawTrade.class).decode(value).getEventTime().toEpochMilli();
            r.headers().add(RecordHeaders.EVENT_TIME, RecordHeaders.eventTime(time));
          } catch (RuntimeException notATrade) {
            // truncated: no header
          }
        }
        producer.send(r);
      }
      producer.flush();
    }
  }

  /** Failures the running job went through (its exception history): each one was a restart. */
  private static long jobRestarts(String webUi) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var jobs = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(webUi + "/jobs/overview")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .body()).path("jobs");
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).path("state").asText()).isEqualTo("RUNNING");
    var exceptions = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(webUi
        + "/jobs/" + jobs.get(0).path("jid").asText() + "/exceptions")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    return exceptions.path("exceptionHistory").path("entries").size();
  }

  private static <T> Map<String, Long> counts(List<T> items, Function<T, byte[]> bytes) {
    return items.stream().collect(Collectors.groupingBy(i -> HexFormat.of().formatHex(bytes.apply(i)),
        TreeMap::new, Collectors.counting()));
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer copy = b.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
