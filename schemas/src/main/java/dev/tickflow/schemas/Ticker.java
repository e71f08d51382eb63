package dev.tickflow.schemas;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instrument on one venue, written {@code EXCHANGE:BASE/QUOTE} (for example {@code BINANCE:XRP/ETH}).
 *
 * <p>This is the Kafka key of all market data, the Flink key of every per-instrument operator, and the
 * prefix of every relay topic ({@code BINANCE:XRP/ETH|ohlc:1m}). Parts are upper case so that one instrument
 * has exactly one spelling.
 */
public record Ticker(String exchange, String base, String quote) {

  private static final int MAX_PART = 32;
  private static final Pattern TEXT = Pattern.compile("([^:|/]+):([^:|/]+)/([^:|/]+)");

  public Ticker {
    exchange = normalise("exchange", exchange);
    base = normalise("base", base);
    quote = normalise("quote", quote);
  }

  public static Ticker of(String exchange, String base, String quote) {
    return new Ticker(exchange, base, quote);
  }

  /** Parses {@code EXCHANGE:BASE/QUOTE}; throws {@link IllegalArgumentException} saying what is wrong. */
  public static Ticker parse(String text) {
    Matcher m = TEXT.matcher(Objects.requireNonNull(text, "ticker").trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "ticker '" + text + "' is not of the form EXCHANGE:BASE/QUOTE, e.g. BINANCE:BTC/USDT");
    }
    return new Ticker(m.group(1), m.group(2), m.group(3));
  }

  /**
   * The canonical text of already-validated parts, without building a {@code Ticker}: for per-record keys on
   * hot paths, where the parts come from a validated event.
   */
  public static String key(String exchange, String base, String quote) {
    return exchange + ":" + base + "/" + quote;
  }

  /** Unified CCXT-style symbol {@code BASE/QUOTE}. */
  public String symbol() {
    return base + "/" + quote;
  }

  /** The relay topic for one data type of this ticker, e.g. {@code BINANCE:XRP/ETH|ohlc:1m}. */
  public String relayTopic(String dataType) {
    if (dataType == null || dataType.isBlank() || dataType.contains("|")) {
      throw new IllegalArgumentException("data type '" + dataType + "' must be non-empty and contain no '|'");
    }
    return this + "|" + dataType;
  }

  @Override
  public String toString() {
    return key(exchange, base, quote);
  }

  private static String normalise(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    String upper = value.trim().toUpperCase(Locale.ROOT);
    if (!validPart(upper)) {
      throw new IllegalArgumentException(
          what + " '" + value + "' must be 1-32 letters, digits, '.', '_' or '-'");
    }
    return upper;
  }

  /**
   * {@code [A-Z0-9][A-Z0-9._-]{0,31}}, checked by hand: every raw trade builds a ticker, and the regex matcher
   * was 6% of the job's source task.
   */
  private static boolean validPart(String s) {
    int n = s.length();
    if (n == 0 || n > MAX_PART) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return false;
      }
    }
    return true;
  }
}
