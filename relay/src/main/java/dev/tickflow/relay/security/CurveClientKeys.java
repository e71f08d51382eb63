package dev.tickflow.relay.security;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where a relay client finds its CURVE keys: the relay's public key and the path of the client's key file. This
 * is what travels in a Flink job graph or a config; the secret key is read from the file only where the socket is
 * opened (a task manager, an ingestor), so it never sits in a job graph, a savepoint or the web UI.
 */
public record CurveClientKeys(String serverPublicKey, String keyFile) implements Serializable {

  public CurveClientKeys {
    CurveKeyPair.requireKey("the relay's public key", serverPublicKey);
    if (keyFile == null || keyFile.isBlank()) {
      throw new IllegalArgumentException("a CURVE client needs its key file (tickflow relay keygen FILE)");
    }
  }

  /**
   * Both or neither: null when CURVE is off, the keys when both are given.
   *
   * @throws IllegalArgumentException naming the two settings when only one is given
   */
  public static CurveClientKeys of(String serverPublicKey, String keyFile, String serverKeySetting,
      String keyFileSetting) {
    boolean noServerKey = serverPublicKey == null || serverPublicKey.isBlank();
    boolean noKeyFile = keyFile == null || keyFile.isBlank();
    if (noServerKey && noKeyFile) {
      return null;
    }
    if (noServerKey || noKeyFile) {
      throw new IllegalArgumentException("CURVE needs both " + serverKeySetting + " and " + keyFileSetting);
    }
    return new CurveClientKeys(serverPublicKey.trim(), keyFile.trim());
  }

  /** Reads the key file. */
  public CurveClient load() {
    try {
      return new CurveClient(serverPublicKey, CurveKeyPair.load(Path.of(keyFile)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the relay CURVE key file " + keyFile + ": " + e.getMessage(), e);
    }
  }
}
