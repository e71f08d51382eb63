package dev.tickflow.schemas;

import java.nio.charset.StandardCharsets;

/**
 * Kafka record headers tickflow producers set. The record timestamp is when the record entered Kafka (every
 * tickflow topic uses {@code LogAppendTime}), so that retention counts from ingestion: a replay of 2019 trades is
 * kept for the topic's retention, not deleted at once for being old. The event time travels in the payload and,
 * for raw records, in {@link #EVENT_TIME}, from which sources build watermarks without decoding the payload.
 */
public final class RecordHeaders {

  /** Event time of the record, epoch milliseconds as decimal text, e.g. {@code 1570752011620}. */
  public static final String EVENT_TIME = "tickflow.event-time";

  private RecordHeaders() {}

  public static byte[] eventTime(long epochMillis) {
    return Long.toString(epochMillis).getBytes(StandardCharsets.US_ASCII);
  }

  /** The event time in a header value, or {@code fallback} if the value is absent or not a number. */
  public static long eventTime(byte[] value, long fallback) {
    if (value == null || value.length == 0 || value.length > 19) {
      return fallback;
    }
    long v = 0;
    for (byte b : value) {
      if (b < '0' || b > '9') {
        return fallback;
      }
      v = v * 10 + (b - '0');
    }
    return v;
  }
}
