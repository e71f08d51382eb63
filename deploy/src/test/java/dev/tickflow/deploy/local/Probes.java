package dev.tickflow.deploy.local;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Ways the integration tests drive and observe a running stack: replay, Iceberg, Kafka; waits with deadlines. */
final class Probes {

  private Probes() {}

  /** Replays the bundled sample from its start up to {@code until}, as fast as possible. */
  static void replay(String bootstrap, Instant until) throws Exception {
    ReplayConfig config = ReplayConfig.sample(bootstrap, 0).withWindow(SampleExpectations.START, until);
    try (Producer<String, byte[]> producer = new KafkaProducer<>(RawTopicOptions.producerProperties(bootstrap))) {
      new TradeReplay(config, producer).run();
    }
  }

  /** Waits until market.ohlc holds the 1m bar opening at {@code bar} (Iceberg API, no Flink needed). */
  static void awaitCandle(CatalogConfig config, long bar, Duration timeout) throws Exception {
    awaitCandle(config, bar, 0, timeout);
  }

  /** Waits until market.ohlc holds the 1m bar opening at {@code bar} at {@code revision} or later. */
  static void awaitCandle(CatalogConfig config, long bar, int revision, Duration timeout) throws Exception {
    Catalog catalog = config.load();
    try {
      Table table = catalog.loadTable(MarketTables.OHLC_ID);
      waitFor("1m candle " + Instant.ofEpochMilli(bar) + " revision " + revision + " in market.ohlc", timeout, () -> {
        table.refresh();
        if (table.currentSnapshot() == null) {
          return false;
        }
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
          for (Record r : rows) {
            if ("1m".equals(r.getField("timeframe")) && toInstant(r.getField("open_time")).toEpochMilli() == bar
                && (Integer) r.getField("revision") >= revision) {
              return true;
            }
          }
          return false;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } finally {
      ((AutoCloseable) catalog).close();
    }
  }

  /** Every record of a topic as a read_committed consumer sees it. */
  static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(committedReader(bootstrap))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      waitFor("reading " + topic + " to its end", Duration.ofSeconds(60), () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
      return records;
    }
  }

  /** Whether a read_committed consumer finds a record in {@code [from, to)} of {@code tp}. */
  static boolean readableBetween(String bootstrap, TopicPartition tp, long from, long to) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(committedReader(bootstrap))) {
      consumer.assign(List.of(tp));
      consumer.seek(tp, from);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumer.position(tp) < to && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < to) {
            return true;
          }
        }
      }
      return consumer.position(tp) < to;
    }
  }

  private static Map<String, Object> committedReader(String bootstrap) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
  }

  /**
   * The sum over all subtasks of an operator metric of the running job, read from Flink's REST API as its web UI
   * shows it ({@code <subtask>.<operator name>.<metric>}); -1 while the metric is not reported yet.
   */
  static long flinkMetric(String webUi, String operatorName, String metric) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      java.util.function.Function<String, com.fasterxml.jackson.databind.JsonNode> get = path -> {
        try {
          String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(webUi + path)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString()).body();
          return json.readTree(body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
      // the SQL Gateway's batch queries run on the same cluster: pick the streaming job by name
      String jobId = null;
      for (var job : get.apply("/jobs/overview").get("jobs")) {
        if (job.get("name").asText().equals("tickflow market data") && job.get("state").asText().equals("RUNNING")) {
          jobId = job.get("jid").asText();
        }
      }
      if (jobId == null) {
        return -1;
      }
      long sum = -1;
      for (var vertex : get.apply("/jobs/" + jobId).get("vertices")) {
        String base = "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/metrics";
        for (var m : get.apply(base)) {
          String id = m.get("id").asText();
          if (id.endsWith("." + operatorName + "." + metric)) {
            for (var value : get.apply(base + "?get=" + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8))) {
              sum = Math.max(sum, 0) + (long) Double.parseDouble(value.get("value").asText());
            }
          }
        }
      }
      return sum;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Runs one statement through a Flink SQL Gateway's REST API as a notebook or JDBC driver would: open a session,
   * submit, then follow {@code nextResultUri} until end of stream. Returns the rows' fields as JSON.
   */
  static List<List<com.fasterxml.jackson.databind.JsonNode>> gatewayQuery(String gateway, String statement,
      Duration timeout) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    // decimals stay exact: Flink writes DECIMAL as a JSON number
    var json = new com.fasterxml.jackson.databind.ObjectMapper()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    java.util.function.BiFunction<String, String, com.fasterxml.jackson.databind.JsonNode> call = (path, body) -> {
      try {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + path))
            .header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        var response = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(path + " -> " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
      } catch (java.io.IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    String session = call.apply("/v1/sessions", "{}").get("sessionHandle").asText();
    String operation = call.apply("/v1/sessions/" + session + "/statements",
        json.writeValueAsString(Map.of("statement", statement))).get("operationHandle").asText();
    List<List<com.fasterxml.jackson.databind.JsonNode>> rows = new ArrayList<>();
    String next = "/v3/sessions/" + session + "/operations/" + operation + "/result/0?rowFormat=JSON";
    long deadline = System.nanoTime() + timeout.toNanos();
    while (next != null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the SQL Gateway did not finish '" + statement + "' within " + timeout);
      }
      var page = call.apply(next, null);
      String type = page.get("resultType").asText();
      if (type.equals("NOT_READY")) {
        LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        continue;
      }
      for (var row : page.get("results").get("data")) {
        List<com.fasterxml.jackson.databind.JsonNode> fields = new ArrayList<>();
        row.get("fields").forEach(fields::add);
        rows.add(fields);
      }
      next = type.equals("EOS") || !page.hasNonNull("nextResultUri") ? null : page.get("nextResultUri").asText();
    }
    http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway + "/v1/sessions/" + session)).DELETE()
        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
    return rows;
  }

  static Instant toInstant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    throw new IllegalArgumentException("not a timestamp: " + value);
  }

  static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }
  }
}
