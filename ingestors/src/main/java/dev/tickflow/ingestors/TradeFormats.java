package dev.tickflow.ingestors;

import dev.tickflow.ingestors.binance.BinanceAggTradesCsv;
import dev.tickflow.ingestors.binance.BinanceStreamMessages;
import dev.tickflow.ingestors.binance.BinanceTradesCsv;
import dev.tickflow.schemas.Ticker;
import java.util.List;

/** The file formats tickflow replays, by the name given with {@code --format}. */
public final class TradeFormats {

  public static final List<String> NAMES =
      List.of(BinanceAggTradesCsv.FORMAT, BinanceTradesCsv.FORMAT, BinanceStreamMessages.FORMAT);

  private TradeFormats() {}

  public static TradeFormat forName(String name, Ticker ticker) {
    return switch (name) {
      case BinanceAggTradesCsv.FORMAT -> new BinanceAggTradesCsv(ticker);
      case BinanceTradesCsv.FORMAT -> new BinanceTradesCsv(ticker);
      case BinanceStreamMessages.FORMAT -> new BinanceStreamMessages(ticker);
      default -> throw new IllegalArgumentException(
          "format '" + name + "' is not supported; supported: " + String.join(", ", NAMES));
    };
  }
}
