package dev.tickflow.deploy.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port helpers for the local stack. */
public final class Ports {

  private Ports() {}

  /**
   * Ports this JVM already handed out. The OS may offer a port again as soon as the probe socket closes, before
   * its new owner binds it; two parts of one stack must never be given the same one.
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  /** {@code port} itself, or a free loopback port when it is 0, never one handed out before in this JVM. */
  public static int resolve(int port) {
    if (port != 0) {
      return port;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        if (HANDED_OUT.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free port", e);
      }
    }
    throw new IllegalStateException("no free port that was not handed out already");
  }

  /** Whether a loopback port can be bound now. */
  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
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
