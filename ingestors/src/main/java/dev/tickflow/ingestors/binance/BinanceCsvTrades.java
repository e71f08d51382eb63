package dev.tickflow.ingestors.binance;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one line of a Binance public-data trade CSV given its column names: the shared work of the aggTrades and
 * trades formats. Checks structure only (column count, integer id, ms or µs time, buyer-maker flag) and keeps
 * every cell verbatim in {@code info}.
 */
record BinanceCsvTrades(String format, Ticker ticker, List<String> columns, String idColumn, String priceColumn,
    String amountColumn, String timeColumn) {

  ReadResult read(String line, long position, Instant ingestTime) {
    String[] cells = line.split(",", -1);
    if (cells.length != columns.size()) {
      return new ReadResult.Malformed(position, line,
          "expected " + columns.size() + " columns (" + String.join(",", columns) + "), found " + cells.length);
    }
    Map<String, String> info = new LinkedHashMap<>();
    for (int i = 0; i < cells.length; i++) {
      info.put(columns.get(i), cells[i].trim());
    }
    String id = info.get(idColumn);
    if (!id.matches("\\d{1,19}")) {
      return new ReadResult.Malformed(position, line, idColumn + " '" + id + "' is not a non-negative integer");
    }
    Instant time = BinanceTimes.parse(info.get(timeColumn));
    if (time == null) {
      return new ReadResult.Malformed(position, line,
          timeColumn + " '" + info.get(timeColumn) + "' is not epoch milliseconds or microseconds");
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
        .setTradeId(id)
        .setPrice(info.get(priceColumn))
        .setAmount(info.get(amountColumn))
        .setSide(side)
        .setEventTime(time)
        .setIngestTime(ingestTime)
        .setFormat(format)
        .setInfo(info)
        .build());
  }
}
