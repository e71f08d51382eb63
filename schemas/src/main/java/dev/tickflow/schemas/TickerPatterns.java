package dev.tickflow.schemas;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Ticker lists as configs write them: {@code EXCHANGE:BASE/QUOTE}, where {@code *} matches any text
 * ({@code BINANCE:*}{@code /ETH}, {@code *}). Patterns are compiled once: matching runs per record.
 */
public final class TickerPatterns {

  private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

  private TickerPatterns() {}

  /** Whether any of {@code patterns} matches {@code ticker}. */
  public static boolean anyMatches(List<String> patterns, String ticker) {
    for (String p : patterns) {
      if (p.equals(ticker) || (p.indexOf('*') >= 0 && COMPILED.computeIfAbsent(p, TickerPatterns::compile)
          .matcher(ticker).matches())) {
        return true;
      }
    }
    return false;
  }

  private static Pattern compile(String glob) {
    return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }
}
