package dev.tickflow.ingestors.exchange;

/** What a live stream carries per market: trades (CCXT's {@code watchTrades}) or the best bid and ask ({@code watchBookTicker}). */
public enum Channel {
  TRADES,
  QUOTES
}
