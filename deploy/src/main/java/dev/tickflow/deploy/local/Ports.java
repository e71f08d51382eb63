package dev.tickflow.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Port helpers for the local stack. */
final class Ports {

  private Ports() {}

  /** {@code port} itself, or a free loopback port when it is 0. */
  static int resolve(int port) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** Fails with a message that names the component if a port is taken. */
  static void requireFree(String what, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException(what + " port " + port + " is already in use: is another tickflow up "
          + "running? Stop it, or choose another port with the matching option (see tickflow up --help)");
    }
  }
}
