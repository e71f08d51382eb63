package dev.tickflow.ingestors;

import dev.tickflow.ingestors.binance.BinanceExchange;
import dev.tickflow.ingestors.coinbase.CoinbaseExchange;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.kraken.KrakenExchange;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The venues tickflow has native adapters for, by the name users type ({@code --exchange binance}). */
public final class Venues {

  public static final List<String> SUPPORTED = List.of("binance", "coinbase", "kraken");

  private Venues() {}

  /** True if {@code name} (any case) is a supported venue. */
  public static boolean supports(String name) {
    return SUPPORTED.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * The adapter of a venue on its REST base URL (null: the venue's public API).
   *
   * @throws IllegalArgumentException naming the supported venues
   */
  public static Exchange create(String name, URI restUrl, Duration maxRetryWait) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "binance" -> new BinanceExchange(restUrl == null ? URI.create(BinanceExchange.DEFAULT_BASE_URL) : restUrl,
          maxRetryWait);
      case "coinbase" -> new CoinbaseExchange(restUrl == null ? CoinbaseExchange.DEFAULT_BASE_URL : restUrl,
          maxRetryWait);
      case "kraken" -> new KrakenExchange(restUrl == null ? KrakenExchange.DEFAULT_BASE_URL : restUrl, maxRetryWait);
      default -> throw new IllegalArgumentException(
          "exchange '" + name + "' is not supported; supported: " + String.join(", ", SUPPORTED));
    };
  }
}
