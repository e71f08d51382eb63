package dev.tickflow.ingestors.exchange;

import dev.tickflow.schemas.event.RawTrade;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A venue, with CCXT's verbs and semantics: unified symbols {@code BASE/QUOTE}, times in epoch milliseconds,
 * numbers kept as the venue's exact text in the raw trades it returns (the venue's own fields go to
 * {@code info}).
 */
public interface Exchange {

  /** Upper-case venue id as used in tickers, e.g. {@code BINANCE}. */
  String id();

  /** Every market of the venue by unified symbol. */
  Map<String, Market> loadMarkets() throws ExchangeException;

  /** CCXT's {@code fetchTrades}: up to {@code limit} trades at or after {@code since}, oldest first. */
  List<RawTrade> fetchTrades(String symbol, Instant since, int limit) throws ExchangeException;

  /**
   * Every trade in {@code [from, until)}, oldest first, paging within the venue's limits. Returns how many were
   * handed to {@code sink}.
   */
  long fetchTradesBetween(String symbol, Instant from, Instant until, Consumer<RawTrade> sink)
      throws ExchangeException;
}
