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
 * Binance public-data trades CSV ({@code *-trades-*.csv}), one line per individual trade:
 * {@code id,price,qty,quote_qty,time,is_buyer_maker,is_best_match}. Header optional; times in ms or (2025 on)
 * µs. Event times on the bus are milliseconds (Avro timestamp-millis); a µs file's exact text stays in info.
 */
public final class BinanceTradesCsv implements TradeFormat {

  public static final String FORMAT = "binance-trades-csv";

  static final List<String> COLUMNS =
      List.of("id", "price", "qty", "quote_qty", "time", "is_buyer_maker", "is_best_match");

  private final Ticker ticker;

  public BinanceTradesCsv(Ticker ticker) {
    this.ticker = ticker;
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
    String[] cells = line.split(",", -1);
    if (cells.length != COLUMNS.size()) {
      return new ReadResult.Malformed(position, line,
          "expected " + COLUMNS.size() + " columns (" + String.join(",", COLUMNS) + "), found " + cells.length);
    }
    Map<String, String> info = new LinkedHashMap<>();
    for (int i = 0; i < cells.length; i++) {
      info.put(COLUMNS.get(i), cells[i].trim());
    }
    if (!info.get("id").matches("\\d{1,19}")) {
      return new ReadResult.Malformed(position, line, "id '" + info.get("id") + "' is not a non-negative integer");
    }
    Instant time = BinanceTimes.parse(info.get("time"));
    if (time == null) {
      return new ReadResult.Malformed(position, line,
          "time '" + info.get("time") + "' is not epoch milliseconds or microseconds");
    }
    Side side = BinanceStreamMessages.takerSide(info.get("is_buyer_maker"));
    if (side == null) {
      return new ReadResult.Malformed(position, line,
          "is_buyer_maker '" + info.get("is_buyer_maker") + "' is neither True nor False");
    }
    return new ReadResult.Parsed(RawTrade.newBuilder()
        .setExchange(ticker.exchange())
        .setSymbol(ticker.symbol())
        .setVenueSymbol(ticker.base() + ticker.quote())
        .setTradeId(info.get("id"))
        .setPrice(info.get("price"))
        .setAmount(info.get("qty"))
        .setSide(side)
        .setEventTime(time)
        .setIngestTime(ingestTime)
        .setFormat(FORMAT)
        .setInfo(info)
        .build());
  }
}
