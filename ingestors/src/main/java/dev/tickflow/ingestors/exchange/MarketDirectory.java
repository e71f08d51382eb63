package dev.tickflow.ingestors.exchange;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The markets a venue listed, by unified symbol and by the key its websocket names them with (Binance's
 * {@code XRPETH}, Coinbase's {@code BTC-USD}, Kraken's {@code BTC/USD}), loaded once on first use. Every adapter's
 * {@code market()} and stream protocol look markets up here.
 */
public final class MarketDirectory {

  /** Loads the venue's markets and {@link #publish}es them. */
  public interface Loader {
    void load() throws ExchangeException;
  }

  private final String venue;
  private final Function<Market, String> streamKey;
  private volatile Map<String, Market> bySymbol;
  private volatile Map<String, Market> byStreamKey = Map.of();

  public MarketDirectory(String venue, Function<Market, String> streamKey) {
    this.venue = venue;
    this.streamKey = streamKey;
  }

  /** Replaces the known markets; returns them by unified symbol. */
  public Map<String, Market> publish(Map<String, Market> markets) {
    Map<String, Market> keys = new HashMap<>();
    markets.values().forEach(m -> keys.put(streamKey.apply(m), m));
    byStreamKey = Map.copyOf(keys);
    bySymbol = Map.copyOf(markets);
    return bySymbol;
  }

  /** The market of a unified symbol, loading on first use; an unknown one is an error that shows some real ones. */
  public Market market(String symbol, Loader loader) throws ExchangeException {
    if (bySymbol == null) {
      loader.load();
    }
    Market m = bySymbol.get(symbol);
    if (m == null) {
      String some = bySymbol.keySet().stream().sorted().limit(5).collect(Collectors.joining(", "));
      throw new ExchangeException(venue + " has no market " + symbol + " (symbols are BASE/QUOTE; "
          + bySymbol.size() + " markets, e.g. " + some + ")");
    }
    return m;
  }

  /** The market a websocket message names, or null. */
  public Market byStreamKey(String key) {
    return byStreamKey.get(key);
  }
}
