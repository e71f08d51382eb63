package dev.tickflow.ingestors.binance;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.schemas.Ticker;
import java.time.Instant;
import java.util.List;

/**
 * Binance public-data aggregate trades CSV (data.binance.vision {@code *-aggTrades-*.csv}), one line a trade:
 * {@code agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match}.
 *
 * <p>Only structure is checked here (column count, integer id and time); price and quantity stay the venue's
 * text so that the market-data job, not the ingestor, decides what is a valid number, and the raw topic holds
 * exactly what Binance wrote. Newer files have a header line, older ones do not: both are read.
 */
public final class BinanceAggTradesCsv implements TradeFormat {

  public static final String FORMAT = "binance-aggtrades-csv";

  static final List<String> COLUMNS = List.of(
      "agg_trade_id", "price", "quantity", "first_trade_id", "last_trade_id", "transact_time",
      "is_buyer_maker", "is_best_match");

  private final BinanceCsvTrades csv;

  public BinanceAggTradesCsv(Ticker ticker) {
    this.csv = new BinanceCsvTrades(FORMAT, ticker, COLUMNS, "agg_trade_id", "price", "quantity", "transact_time");
  }

  @Override
  public String name() {
    return FORMAT;
  }

  /** True for the optional header line. */
  @Override
  public boolean isHeader(String line) {
    return line.startsWith(COLUMNS.get(0));
  }

  @Override
  public ReadResult read(String line, long position, Instant ingestTime) {
    return csv.read(line, position, ingestTime);
  }
}
