package dev.tickflow.ingestors.kraken;

import java.util.Map;

/**
 * Kraken's asset codes and the common ones, both ways. Kraken's REST API names Bitcoin {@code XBT} and Dogecoin
 * {@code XDG} (and prefixes legacy codes with X or Z: {@code XXBT}, {@code ZUSD}); its v2 websocket and every
 * other venue say {@code BTC} and {@code DOGE}. Unified symbols use the common codes, as CCXT does.
 */
public final class KrakenAssets {

  private static final Map<String, String> TO_COMMON = Map.of("XBT", "BTC", "XDG", "DOGE");
  private static final Map<String, String> TO_KRAKEN = Map.of("BTC", "XBT", "DOGE", "XDG");

  private KrakenAssets() {}

  /** {@code XBT} → {@code BTC}; codes Kraken shares with everyone pass through. */
  public static String common(String krakenCode) {
    return TO_COMMON.getOrDefault(krakenCode, krakenCode);
  }

  /** {@code BTC} → {@code XBT}, for Kraken's REST pair names. */
  public static String kraken(String commonCode) {
    return TO_KRAKEN.getOrDefault(commonCode, commonCode);
  }

  /** A unified symbol from Kraken's {@code wsname} ({@code XBT/USD} → {@code BTC/USD}); null if it has no slash. */
  public static String unifiedSymbol(String wsname) {
    int slash = wsname.indexOf('/');
    if (slash < 0) {
      return null;
    }
    return common(wsname.substring(0, slash)) + "/" + common(wsname.substring(slash + 1));
  }

  /** Kraken's REST pair name of a unified symbol ({@code BTC/USD} → {@code XBTUSD}). */
  public static String restPair(String unifiedSymbol) {
    String[] p = unifiedSymbol.split("/", 2);
    return kraken(p[0]) + kraken(p[1]);
  }
}
