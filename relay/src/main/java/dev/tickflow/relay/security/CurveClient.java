package dev.tickflow.relay.security;

import org.zeromq.ZMQ;

/** How a client reaches a CURVE relay: the relay's public key and the client's own pair. */
public record CurveClient(String serverPublicKey, CurveKeyPair client) {

  public CurveClient {
    CurveKeyPair.requireKey("the relay's public key", serverPublicKey);
    if (client.secretKey() == null) {
      throw new IllegalArgumentException("a CURVE client needs its own secret-key");
    }
  }

  /** Call before the socket connects. */
  public void applyTo(ZMQ.Socket socket) {
    socket.setCurveServerKey(ZMQ.Curve.z85Decode(serverPublicKey));
    socket.setCurvePublicKey(ZMQ.Curve.z85Decode(client.publicKey()));
    socket.setCurveSecretKey(ZMQ.Curve.z85Decode(client.secretKey()));
  }
}
