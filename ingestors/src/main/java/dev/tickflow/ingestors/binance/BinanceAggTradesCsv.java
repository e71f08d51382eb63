package dev.tickflow.ingestors.binance;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  private final Ticker ticker;

  public BinanceAggTradesCsv(Ticker ticker) {
    this.ticker = ticker;
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
    String[] cells = line.split(",", -1);
    if (cells.length != COLUMNS.size()) {
      return new ReadResult.Malformed(position, line,
          "expected " + COLUMNS.size() + " columns (" + String.join(",", COLUMNS) + "), found " + cells.length);
    }
    Map<String, String> info = new LinkedHashMap<>();
    for (int i = 0; i < cells.length; i++) {
      info.put(COLUMNS.get(i), cells[i].trim());
    }
    String id = info.get("agg_trade_id");
    if (!id.matches("\\d{1,19}")) {
      return new ReadResult.Malformed(position, line, "agg_trade_id '" + id + "' is not a non-negative integer");
    }
    Instant time = BinanceTimes.parse(info.get("transact_time"));
    if (time == null) {
      return new ReadResult.Malformed(position, line,
          "transact_time '" + info.get("transact_time") + "' is not epoch milliseconds or microseconds");
    }
    Side side = BinanceStreamMessages.takerSide(info.get("is_buyer_maker"));
    if (side == null) {
      return new ReadResult.Malformed(position, line,
          "is_buyer_maker '" + info.get("is_buyer_maker") + "' is neither True nor False");
    }
    RawTrade trade = RawTrade.newBuilder()
        .setExchange(ticker.exchange())
        .setSymbol(ticker.symbol())
        .setVenueSymbol(ticker.base() + ticker.quote())
        .setTradeId(id)
        .setPrice(info.get("price"))
        .setAmount(info.get("quantity"))
        .setSide(side)
        .setEventTime(time)
        .setIngestTime(ingestTime)
        .setFormat(FORMAT)
        .setInfo(info)
        .build();
    return new ReadResult.Parsed(trade);
  }
}
