package dev.tickflow.relay.security;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.zeromq.ZMQ;

/**
 * A CURVE key pair in ZeroMQ's Z85 text form (40 characters each). Stored as a properties file with
 * {@code public-key} and {@code secret-key}, readable by its owner only; the public half is what the other side
 * is given.
 */
public record CurveKeyPair(String publicKey, String secretKey) {

  public CurveKeyPair {
    requireKey("public-key", publicKey);
    if (secretKey != null) {
      requireKey("secret-key", secretKey);
    }
  }

  public static CurveKeyPair generate() {
    ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
    return new CurveKeyPair(pair.publicKey, pair.secretKey);
  }

  /** Reads a key file; says which file and which key when one is missing or malformed. */
  public static CurveKeyPair load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    try {
      return new CurveKeyPair(p.getProperty("public-key"), p.getProperty("secret-key"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the pair, owner-only where the file system allows it. */
  public void save(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("public-key", publicKey);
    p.setProperty("secret-key", secretKey);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "tickflow relay CURVE key pair (Z85); give only the public-key to the other side");
    }
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // keep the platform's default permissions
    }
  }

  static void requireKey(String what, String key) {
    if (key == null || key.length() != ZMQ.Curve.KEY_SIZE_Z85) {
      throw new IllegalArgumentException(what + " must be a " + ZMQ.Curve.KEY_SIZE_Z85
          + "-character Z85 CURVE key" + (key == null ? ", and is missing" : ", not " + key.length() + " characters"));
    }
    if (ZMQ.Curve.z85Decode(key) == null) {
      throw new IllegalArgumentException(what + " is not valid Z85");
    }
  }

  @Override
  public String toString() {
    return "CurveKeyPair[publicKey=" + publicKey + ", secretKey=" + (secretKey == null ? "none" : "***") + "]";
  }
}
