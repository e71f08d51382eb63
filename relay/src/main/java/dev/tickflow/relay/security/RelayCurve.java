package dev.tickflow.relay.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.zeromq.ZMQ;

/**
 * CURVE on every relay channel: the relay's key pair, and the public keys of the clients it lets in (publishers,
 * subscribers, request clients and ingestors alike). A peer whose key is not on the list completes no handshake,
 * so it can neither subscribe, publish nor send a request.
 */
public record RelayCurve(CurveKeyPair server, Set<String> allowedClients) {

  public RelayCurve {
    if (server.secretKey() == null) {
      throw new IllegalArgumentException("the relay's CURVE key pair needs its secret-key");
    }
    allowedClients.forEach(k -> CurveKeyPair.requireKey("allowed client key '" + k + "'", k));
    allowedClients = Set.copyOf(allowedClients);
  }

  /**
   * The relay's key file and an allow-list file: one Z85 public key per line, {@code #} starts a comment (the
   * rest of a line after the key, e.g. whose key it is, is ignored).
   */
  public static RelayCurve load(Path keyFile, Path allowList) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    List<String> lines = Files.readAllLines(allowList, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String key = line.split("\\s+")[0];
      try {
        CurveKeyPair.requireKey("key", key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(allowList + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
      keys.add(key);
    }
    return new RelayCurve(CurveKeyPair.load(keyFile), keys);
  }

  /** Makes {@code socket} a CURVE server of {@code zapDomain}; call before it binds. */
  public void applyTo(ZMQ.Socket socket, String zapDomain) {
    socket.setZapDomain(zapDomain);
    socket.setCurveServer(true);
    socket.setCurveSecretKey(ZMQ.Curve.z85Decode(server.secretKey()));
  }
}
