package dev.tickflow.deploy.local;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.replay.ReplayConfig;
import dev.tickflow.ingestors.replay.TradeReplay;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.AdvisorDecision;
import dev.tickflow.schemas.event.Signal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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

  /** Waits until every consumer group of the job has committed the end of what it reads. */
  static void awaitCaughtUp(String bootstrap) {
    awaitCaughtUp(bootstrap, Duration.ofSeconds(180));
  }

  static void awaitCaughtUp(String bootstrap, Duration timeout) {
    String[] lagging = {"", ""};
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      waitFor("every consumer group of the job at the end of its topics", timeout, () -> {
        if (!lagging[0].equals(lagging[1])) {
          System.out.println("lagging: " + lagging[0]);
          lagging[1] = lagging[0];
        }
        try {
          List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
              .map(g -> g.groupId()).filter(g -> g.startsWith("tickflow-")).toList();
          if (groups.isEmpty()) {
            return false;
          }
          for (String g : groups) {
            Map<TopicPartition, OffsetAndMetadata> at = admin.listConsumerGroupOffsets(g)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> query = new HashMap<>();
            at.keySet().forEach(tp -> query.put(tp, OffsetSpec.latest()));
            var end = admin.listOffsets(query).all().get(30, TimeUnit.SECONDS);
            for (var e : at.entrySet()) {
              // a source commits the offset after its last record, never past the commit marker that may follow it
              if (e.getValue() == null || e.getValue().offset() < end.get(e.getKey()).offset()
                  && readableBetween(bootstrap, e.getKey(), e.getValue().offset(), end.get(e.getKey()).offset())) {
                lagging[0] = g + " " + e.getKey() + " at " + e.getValue() + " of " + end.get(e.getKey()).offset();
                return false;
              }
            }
          }
          return committed(bootstrap, "tickflow-market-data", Topic.MARKET_DATA_RAW.topicName()).values().stream()
              .mapToLong(Long::longValue).sum() > 0;
        } catch (Exception e) {
          return false;
        }
      });
    }
  }

  static Map<Integer, Long> committed(String bootstrap, String group, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<Integer, Long> out = new java.util.TreeMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
          .forEach((tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
              out.put(tp.partition(), o.offset());
            }
          });
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every signal before {@code settled} decided, every group caught up, and the lake holding what Kafka holds. */
  static void awaitSettled(LocalStack stack, String kafka, Instant settled) throws Exception {
    waitFor("a decision for every settled signal", Duration.ofSeconds(180), () -> {
      Map<String, Signal> signals = new HashMap<>();
      readCommitted(kafka, Topic.SIGNALS_RAW.topicName()).forEach(r -> {
        Signal s = EventTypes.codec(Signal.class).decode(r.value());
        signals.put(s.getSignalId(), s);
      });
      List<String> decided = readCommitted(kafka, Topic.SIGNALS_QUALIFIED.topicName()).stream()
          .map(r -> EventTypes.codec(AdvisorDecision.class).decode(r.value()).getSignalId()).toList();
      List<Signal> due = signals.values().stream().filter(s -> s.getEventTime().isBefore(settled)).toList();
      return due.size() > 5 && due.stream().allMatch(s -> decided.contains(s.getSignalId()));
    });
    awaitCaughtUp(kafka);
    SqlRunner sql = new SqlRunner(stack.catalog());
    Map<String, Topic> lake = Map.of("signals.signals", Topic.SIGNALS_RAW, "trading.decisions",
        Topic.SIGNALS_QUALIFIED, "trading.verdicts", Topic.TRADE_VERDICTS, "trading.fills", Topic.TRADE_FILLS);
    waitFor("the lake level with Kafka", Duration.ofSeconds(60), () -> lake.entrySet().stream().allMatch(e -> {
      try {
        long rows = ((Number) sql.query("SELECT COUNT(*) FROM " + e.getKey()).get(0).get(0)).longValue();
        return rows == readCommitted(kafka, e.getValue().topicName()).size();
      } catch (Exception failed) {
        return false;
      }
    }));
  }

  /** Records on the raw topic, every partition. */
  static long rawRecords(String bootstrap) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      String topic = Topic.MARKET_DATA_RAW.topicName();
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
      Map<TopicPartition, OffsetSpec> query = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        query.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(query).all().get(30, TimeUnit.SECONDS).values().stream()
          .mapToLong(o -> o.offset()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Checkpoints the job completed since it started, from Flink's REST API; -1 while it does not answer. */
  static long completedCheckpoints(String webUi, String jobId) {
    try {
      String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(webUi + "/jobs/" + jobId
          + "/checkpoints")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("counts").path("completed").asLong(-1);
    } catch (Exception e) {
      return -1;
    }
  }

  /** Prints, per output topic, committed records and end offsets: where a stuck pipeline stopped. */
  static void describeOutputs(String bootstrap) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      for (Topic t : dev.tickflow.jobs.audit.AuditReplay.OUTPUTS) {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        int partitions = admin.describeTopics(List.of(t.topicName())).allTopicNames().get(30, TimeUnit.SECONDS)
            .get(t.topicName()).partitions().size();
        for (int p = 0; p < partitions; p++) {
          query.put(new TopicPartition(t.topicName(), p), OffsetSpec.latest());
        }
        var end = admin.listOffsets(query).all().get(30, TimeUnit.SECONDS);
        var stable = admin.listOffsets(query, new org.apache.kafka.clients.admin.ListOffsetsOptions(
            org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
        System.out.printf("  %-20s committed records %d, end offsets %s, last stable offsets %s%n", t.topicName(),
            readCommitted(bootstrap, t.topicName()).size(), end.values().stream().map(o -> o.offset()).toList(),
            stable.values().stream().map(o -> o.offset()).toList());
      }
    } catch (Exception e) {
      System.out.println("  (outputs not readable: " + e + ")");
    }
  }

  /** Prints each vertex's lowest input watermark: where event time stopped. */
  static void describeWatermarks(String webUi, String jobId) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var job = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(webUi + "/jobs/"
          + jobId)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      for (var v : job.path("vertices")) {
        var marks = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(webUi + "/jobs/"
            + jobId + "/vertices/" + v.path("id").asText() + "/watermarks")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        List<String> values = new ArrayList<>();
        marks.forEach(m -> {
          long w = (long) Double.parseDouble(m.path("value").asText("0"));
          values.add(w < 0 ? "none" : Instant.ofEpochMilli(w).toString());
        });
        String name = v.path("name").asText();
        System.out.printf("  %-60s %s%n", name.length() > 60 ? name.substring(0, 60) : name, values);
      }
    } catch (Exception e) {
      System.out.println("  (watermarks not readable: " + e + ")");
    }
  }
}
