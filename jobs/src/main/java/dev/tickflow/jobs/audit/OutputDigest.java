package dev.tickflow.jobs.audit;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A fingerprint of what a run wrote to one topic: its committed records' keys and values, byte for byte, as a
 * multiset. Each record's SHA-256 is summed modulo 2^256, so the digest does not depend on how records of
 * different tickers or operators interleave (which no run fixes) but changes with any byte of any record and with
 * any record more or fewer. Two runs wrote the same bytes when their digests and counts are equal.
 *
 * @param topic the topic read
 * @param records committed records in it
 * @param sha256 the multiset digest, hex
 */
public record OutputDigest(String topic, long records, String sha256) {

  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  /** Reads every committed record of {@code topic} (read_committed, to its end at the time of the call). */
  public static OutputDigest of(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      BigInteger sum = BigInteger.ZERO;
      long count = 0;
      MessageDigest sha = newSha256();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " took over 10 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          sha.reset();
          byte[] key = r.key() == null ? new byte[0] : r.key();
          sha.update(BigInteger.valueOf(key.length).toByteArray());
          sha.update(key);
          sha.update(r.value() == null ? new byte[0] : r.value());
          sum = sum.add(new BigInteger(1, sha.digest())).mod(MODULUS);
          count++;
        }
      }
      byte[] bytes = new byte[32];
      byte[] raw = sum.toByteArray();
      int n = Math.min(raw.length, 32);
      System.arraycopy(raw, raw.length - n, bytes, 32 - n, n);
      return new OutputDigest(topic, count, HexFormat.of().formatHex(bytes));
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
