package dev.tickflow.ingestors.exchange;

import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.event.RawTrade;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A venue, with CCXT's verbs and semantics: unified symbols {@code BASE/QUOTE}, times in epoch milliseconds,
 * numbers kept as the venue's exact text in the raw trades it returns (the venue's own fields go to
 * {@code info}). {@code watchTrades}/{@code watchBookTicker} are a {@link LiveFeed} over the venue's
 * {@link #streamProtocol()}.
 */
public interface Exchange {

  /** Upper-case venue id as used in tickers, e.g. {@code BINANCE}. */
  String id();

  /** Every market of the venue by unified symbol. */
  Map<String, Market> loadMarkets() throws ExchangeException;

  /** The market of a unified symbol, loading markets on first use; says which symbols exist if it is unknown. */
  Market market(String symbol) throws ExchangeException;

  /** CCXT's {@code fetchTrades}: up to {@code limit} trades at or after {@code since}, oldest first. */
  List<RawTrade> fetchTrades(String symbol, Instant since, int limit) throws ExchangeException;

  /**
   * Every trade in {@code [from, until)}, oldest first, paging within the venue's limits. Returns how many were
   * handed to {@code sink}.
   */
  long fetchTradesBetween(String symbol, Instant from, Instant until, Consumer<RawTrade> sink)
      throws ExchangeException;

  /**
   * Every trade with a venue id in {@code [fromId, toId]}, oldest first: what a gap repair asks for. {@code after}
   * is the time of the last trade seen before the gap, for venues that page by time rather than by id.
   */
  long fetchTradesByIds(String symbol, long fromId, long toId, Instant after, Consumer<RawTrade> sink)
      throws ExchangeException;

  /** CCXT's {@code fetchOHLCV}: up to {@code limit} of the venue's own candles opening at or after {@code since}, oldest first. */
  List<Ohlcv> fetchOHLCV(String symbol, Timeframe timeframe, Instant since, int limit) throws ExchangeException;

  /** The venue's websocket dialect. */
  StreamProtocol streamProtocol();

  /** The venue's public websocket, used when none is configured. */
  URI defaultStreamUrl();
}
