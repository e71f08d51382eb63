package dev.tickflow.ingestors.exchange;

import java.util.Map;
import java.util.stream.Collectors;

/** The markets a venue listed, by unified symbol, and the lookup every adapter's {@code market()} shares. */
public final class Markets {

  private final String venue;
  private final Map<String, Market> bySymbol;

  public Markets(String venue, Map<String, Market> bySymbol) {
    this.venue = venue;
    this.bySymbol = Map.copyOf(bySymbol);
  }

  public Map<String, Market> all() {
    return bySymbol;
  }

  public Market get(String symbol) throws ExchangeException {
    Market m = bySymbol.get(symbol);
    if (m == null) {
      String some = bySymbol.keySet().stream().sorted().limit(5).collect(Collectors.joining(", "));
      throw new ExchangeException(venue + " has no market " + symbol + " (symbols are BASE/QUOTE; "
          + bySymbol.size() + " markets, e.g. " + some + ")");
    }
    return m;
  }
}
