package dev.tickflow.ingestors.binance;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.schemas.Ticker;
import java.time.Instant;
import java.util.List;

/**
 * Binance public-data trades CSV ({@code *-trades-*.csv}), one line per individual trade:
 * {@code id,price,qty,quote_qty,time,is_buyer_maker,is_best_match}. Header optional; times in ms or (2025 on)
 * µs. Event times on the bus are milliseconds (Avro timestamp-millis); a µs file's exact text stays in info.
 */
public final class BinanceTradesCsv implements TradeFormat {

  public static final String FORMAT = "binance-trades-csv";

  static final List<String> COLUMNS =
      List.of("id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match");

  private final BinanceCsvTrades csv;

  public BinanceTradesCsv(Ticker ticker) {
    this.csv = new BinanceCsvTrades(FORMAT, ticker, COLUMNS, "id", "price", "qty", "time");
  }

  @Override
  public String name() {
    return FORMAT;
  }

  @Override
  public boolean isHeader(String line) {
    return line.startsWith("id,");
  }

  @Override
  public ReadResult read(String line, long position, Instant ingestTime) {
    return csv.read(line, position, ingestTime);
  }
}
