package dev.tickflow.schemas.codec;

import java.util.HexFormat;

/**
 * The 10-byte header of Avro single-object encoding: marker {@code C3 01}, then the writer schema's
 * CRC-64-AVRO fingerprint, little-endian. It is what lets a consumer tell the schema without a registry.
 */
final class SingleObjectHeader {

  static final int LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private SingleObjectHeader() {}

  /** The writer fingerprint, or a {@link PayloadException} if the bytes are not single-object encoded. */
  static long fingerprint(byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new PayloadException(PayloadException.Kind.EMPTY_PAYLOAD, "payload is empty");
    }
    if (payload.length < LENGTH || payload[0] != MARKER_0 || payload[1] != MARKER_1) {
      throw new PayloadException(PayloadException.Kind.NOT_SINGLE_OBJECT,
          "payload of " + payload.length + " bytes does not start with the Avro single-object header C3 01 "
              + "(first bytes: " + HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 10)) + ")");
    }
    long fp = 0;
    for (int i = 9; i >= 2; i--) {
      fp = (fp << 8) | (payload[i] & 0xFFL);
    }
    return fp;
  }

  /** The header for a writer schema with this fingerprint. */
  static byte[] of(long fingerprint) {
    byte[] h = new byte[LENGTH];
    h[0] = MARKER_0;
    h[1] = MARKER_1;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    return h;
  }

  static String hex(long fingerprint) {
    return HexFormat.of().toHexDigits(fingerprint);
  }
}
