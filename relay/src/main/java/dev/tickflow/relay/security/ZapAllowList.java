package dev.tickflow.relay.security;

import dev.tickflow.relay.ZmqRuntime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.zeromq.ZAuth;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * The ZAP handler of this JVM's ZeroMQ context (there can be one per context), run by JeroMQ's own {@link ZAuth}
 * actor: a CURVE client is let in when its public key is on the allow-list of the ZAP domain of the socket it
 * reaches. Each CURVE relay registers its own domain, so relays with different lists can share the context.
 * Sockets without a ZAP domain never ask, so plain (non-CURVE) sockets are not affected.
 */
public final class ZapAllowList {

  private static final Map<String, Set<String>> DOMAINS = new ConcurrentHashMap<>();
  private static volatile ZAuth handler;

  private ZapAllowList() {}

  /** Lets the holders of {@code publicKeys} (Z85) into sockets of {@code domain}. */
  public static void register(String domain, Set<String> publicKeys) {
    start();
    DOMAINS.put(domain, Set.copyOf(publicKeys));
  }

  public static void unregister(String domain) {
    DOMAINS.remove(domain);
  }

  private static synchronized void start() {
    if (handler == null) {
      handler = new ZAuth(ZmqRuntime.context(), "tickflow-zap", Map.of(
          "NULL", new Decision(request -> true),
          "PLAIN", new Decision(request -> false),
          "CURVE", new Decision(ZapAllowList::allowed)));
    }
  }

  private static boolean allowed(ZAuth.ZapRequest request) {
    Set<String> keys = DOMAINS.get(request.domain);
    if (keys == null || request.clientKey == null) {
      return false;
    }
    String key = request.clientKey;
    // JeroMQ hands the key over in Z85; accept the 64-character hex form too, should that change
    if (key.length() == 64) {
      key = ZMQ.Curve.z85Encode(hex(key));
    }
    return keys.contains(key);
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** One mechanism's rule. */
  private record Decision(java.util.function.Predicate<ZAuth.ZapRequest> rule) implements ZAuth.Auth {
    @Override
    public boolean configure(ZMsg msg, boolean verbose) {
      return true;
    }

    @Override
    public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
      return rule.test(request);
    }
  }
}
