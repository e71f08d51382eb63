package dev.tickflow.jobs.audit;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
    BigInteger[] sum = {BigInteger.ZERO};
    long[] count = {0};
    MessageDigest sha = newSha256();
    CommittedRecords.forEach(bootstrapServers, topic, r -> {
      sha.reset();
      byte[] key = r.key() == null ? new byte[0] : r.key();
      sha.update(BigInteger.valueOf(key.length).toByteArray());
      sha.update(key);
      sha.update(r.value() == null ? new byte[0] : r.value());
      sum[0] = sum[0].add(new BigInteger(1, sha.digest())).mod(MODULUS);
      count[0]++;
    });
    byte[] bytes = new byte[32];
    byte[] raw = sum[0].toByteArray();
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, bytes, 32 - n, n);
    return new OutputDigest(topic, count[0], HexFormat.of().formatHex(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
