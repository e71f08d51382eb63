package dev.tickflow.bench.e2e;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The peer a Kafka user would write: the same 1m candles as a Kafka Streams windowed aggregation (exact
 * BigDecimal, a 5 s grace), final candles only ({@code suppress(untilWindowCloses)}), exactly_once_v2, with as
 * many stream threads as the Flink contenders have slots. Done when its group has committed the end of the raw
 * topic. Windows still open at the end of the input stay open (Kafka Streams closes a window only when later
 * records pass it), so it writes slightly fewer candles than a bounded Flink run that flushes them.
 */
final class KafkaStreamsCandles implements Contender {

  static final String OUTPUT = "bench.candles.kafka_streams";
  private static final String APP = "bench-kafka-streams";
  private final int threads;
  private final Duration commitInterval;
  private final Path stateDir;

  KafkaStreamsCandles(int threads, Duration commitInterval, Path stateDir) {
    this.threads = threads;
    this.commitInterval = commitInterval;
    this.stateDir = stateDir;
  }

  @Override
  public String name() {
    return "kafka-streams";
  }

  @Override
  public String does() {
    return "1m candles (windowed aggregate), exactly once";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    String output = OUTPUT + "_r" + round;
    String app = APP + "-r" + round;
    input.createTopics(Map.of(output, Topic.MARKET_DATA_OHLC));
    Files.createDirectories(stateDir);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, input.bootstrap());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    p.put(StreamsConfig.producerPrefix("batch.size"), Integer.toString(PRODUCER_BATCH_BYTES));
    p.put(StreamsConfig.producerPrefix("linger.ms"), Integer.toString(PRODUCER_LINGER_MS));

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(Topic.MARKET_DATA_RAW.topicName(), Consumed.with(Serdes.String(), Serdes.ByteArray())
            .withTimestampExtractor(new HeaderEventTime()))
        .flatMapValues(payload -> EventTypes.decodeAny(payload) instanceof RawTrade t ? List.of(t) : List.<RawTrade>of())
        .mapValues(t -> new Bar().add(Decimals.parse(t.getPrice()), Decimals.parse(t.getAmount())))
        .groupByKey(Grouped.with(Serdes.String(), Bar.SERDE))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(5)))
        .reduce(Bar::merge, Materialized.with(Serdes.String(), Bar.SERDE))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream()
        .map((window, bar) -> KeyValue.pair(window.key() + "@" + window.window().start(), bar.toString()))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));

    Map<TopicPartition, Long> end = input.rawEnd();
    long started = System.nanoTime();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), p); Admin admin = input.kafka.admin()) {
      streams.start();
      while (!readAll(admin, app, end)) {
        TimeUnit.MILLISECONDS.sleep(50); // polling the group's committed offsets: there is nothing to wait on
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      streams.close(Duration.ofSeconds(30));
      AtomicLong candles = new AtomicLong();
      dev.tickflow.jobs.audit.CommittedRecords.forEach(input.bootstrap(), output, r -> candles.incrementAndGet());
      return new Outcome(seconds, candles.get());
    }
  }

  private static boolean readAll(Admin admin, String app, Map<TopicPartition, Long> end) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> at = admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
    // a committed offset may stop before the transaction marker that follows the last record
    return end.entrySet().stream().allMatch(e -> at.get(e.getKey()) != null
        && at.get(e.getKey()).offset() >= e.getValue() - 1);
  }

  /** The event time tickflow's ingestors put in a header; the record's own timestamp without one. */
  public static final class HeaderEventTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      Header h = record.headers().lastHeader(RecordHeaders.EVENT_TIME);
      return h == null ? record.timestamp() : RecordHeaders.eventTime(h.value(), record.timestamp());
    }
  }

  /** A candle being built: first, high, low, last, volume, count. */
  static final class Bar {
    static final Serde<Bar> SERDE = Serdes.serdeFrom((topic, bar) -> bar.bytes(), (topic, bytes) -> Bar.of(bytes));

    BigDecimal open;
    BigDecimal high;
    BigDecimal low;
    BigDecimal close;
    BigDecimal volume = BigDecimal.ZERO;
    long trades;

    Bar add(BigDecimal price, BigDecimal amount) {
      open = open == null ? price : open;
      high = high == null || price.compareTo(high) > 0 ? price : high;
      low = low == null || price.compareTo(low) < 0 ? price : low;
      close = price;
      volume = volume.add(amount);
      trades++;
      return this;
    }

    /** {@code this} then {@code next}, in arrival order. */
    Bar merge(Bar next) {
      Bar b = new Bar();
      b.open = open;
      b.high = high.max(next.high);
      b.low = low.min(next.low);
      b.close = next.close;
      b.volume = volume.add(next.volume);
      b.trades = trades + next.trades;
      return b;
    }

    byte[] bytes() {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream(96);
      try (DataOutputStream out = new DataOutputStream(buffer)) {
        for (BigDecimal d : new BigDecimal[] {open, high, low, close, volume}) {
          out.writeUTF(d.toPlainString());
        }
        out.writeLong(trades);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return buffer.toByteArray();
    }

    static Bar of(byte[] bytes) {
      try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
        Bar b = new Bar();
        b.open = new BigDecimal(in.readUTF());
        b.high = new BigDecimal(in.readUTF());
        b.low = new BigDecimal(in.readUTF());
        b.close = new BigDecimal(in.readUTF());
        b.volume = new BigDecimal(in.readUTF());
        b.trades = in.readLong();
        return b;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return open.toPlainString() + "," + high.toPlainString() + "," + low.toPlainString() + ","
          + close.toPlainString() + "," + volume.toPlainString() + "," + trades;
    }
  }
}
