package dev.tickflow.relay;

import java.nio.ByteBuffer;

/**
 * The optional third frame of a market-data message: the publisher's stream id (random per publisher instance) and
 * the message's number within that stream and topic, 16 bytes big-endian. ZeroMQ drops silently when a subscriber
 * falls behind its high-water mark (or while the relay restarts), and neither PUB nor XPUB says to whom; numbering
 * at the source is how each subscriber counts what it lost, without the relay holding anything.
 */
public record SequenceStamp(long stream, long sequence) {

  /** Length of the frame. */
  public static final int BYTES = 16;

  /** The frame as sent on the wire. */
  public byte[] toFrame() {
    return ByteBuffer.allocate(BYTES).putLong(stream).putLong(sequence).array();
  }

  /** The stamp in {@code frame}, or null when the frame is not one (other publishers may send two frames only). */
  public static SequenceStamp parse(byte[] frame) {
    if (frame == null || frame.length != BYTES) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    return new SequenceStamp(b.getLong(), b.getLong());
  }
}
