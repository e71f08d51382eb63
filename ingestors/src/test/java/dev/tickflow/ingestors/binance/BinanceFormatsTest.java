package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormats;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinanceFormatsTest {

  private static final Ticker XRPETH = Ticker.parse("BINANCE:XRP/ETH");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void tradesCsvReadsMillisecondAndMicrosecondFiles() {
    BinanceTradesCsv csv = new BinanceTradesCsv(Ticker.parse("BINANCE:BTC/USDT"));
    assertThat(csv.isHeader("id,price,qty,quote_qty,time,is_buyer_maker,is_best_match")).isTrue();

    RawTrade ms = parsed(csv.read("4200000001,16541.77000000,0.00120000,19.85012400,1672531200123,False,True", 2, NOW));
    assertThat(ms.getPrice()).isEqualTo("16541.77000000");
    assertThat(ms.getAmount()).isEqualTo("0.00120000");
    assertThat(ms.getSide()).isEqualTo(Side.BUY);
    assertThat(ms.getEventTime()).isEqualTo(Instant.ofEpochMilli(1672531200123L));
    assertThat(ms.getInfo()).containsEntry("quote_qty", "19.85012400");

    // Binance spot public data from 2025 on: microseconds. The contract's event time is milliseconds; the
    // venue's exact text stays in info.
    RawTrade us = parsed(csv.read("4200000002,16541.78000000,0.5,8270.89,1735689600123456,True,True", 3, NOW));
    assertThat(us.getEventTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
    assertThat(us.getInfo()).containsEntry("time", "1735689600123456");
    assertThat(us.getSide()).isEqualTo(Side.SELL);
  }

  @Test
  void websocketTradeAndAggTradeEventsRawOrCombined() {
    BinanceStreamMessages ws = new BinanceStreamMessages(XRPETH);
    RawTrade agg = parsed(ws.read("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1570752011625,"
        + "\"s\":\"XRPETH\",\"a\":13519807,\"p\":\"0.00141342\",\"q\":\"23.00000000\",\"f\":15373518,\"l\":15373518,"
        + "\"T\":1570752011620,\"m\":true,\"M\":true}}", 1, NOW));
    assertThat(agg.getTradeId()).isEqualTo("13519807");
    assertThat(agg.getPrice()).isEqualTo("0.00141342");
    assertThat(agg.getSide()).isEqualTo(Side.SELL);
    assertThat(agg.getInfo()).containsEntry("E", "1570752011625").containsEntry("f", "15373518");

    RawTrade trade = parsed(ws.read("{\"e\":\"trade\",\"E\":1570752011625,\"s\":\"XRPETH\",\"t\":15373518,"
        + "\"p\":\"0.00141342\",\"q\":\"23.00000000\",\"T\":1570752011620,\"m\":false,\"M\":true}", 2, NOW));
    assertThat(trade.getTradeId()).isEqualTo("15373518");
    assertThat(trade.getSide()).isEqualTo(Side.BUY);

    assertThat(ws.read("{\"result\":null,\"id\":1}", 3, NOW)).isInstanceOf(ReadResult.Ignored.class);
    assertThat(ws.read("{\"e\":\"24hrTicker\",\"s\":\"XRPETH\"}", 4, NOW)).isInstanceOf(ReadResult.Ignored.class);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "{\"e\":\"trade\"                                                                   | not JSON",
      "[1,2]                                                                              | not a JSON object",
      "{\"e\":\"trade\",\"s\":\"XRPETH\",\"t\":1,\"q\":\"1\",\"T\":1570752011620,\"m\":true} | without 'p'",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":1,\"m\":true} | symbol BTCUSDT is not XRPETH",
      "{\"e\":\"trade\",\"s\":\"XRPETH\",\"t\":\"x\",\"p\":\"1\",\"q\":\"1\",\"T\":1,\"m\":true} | is not a non-negative integer",
      "{\"e\":\"trade\",\"s\":\"XRPETH\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":\"soon\",\"m\":true} | trade time"})
  void aBadWebsocketMessageIsMalformedWithTheReason(String line, String reason) {
    ReadResult r = new BinanceStreamMessages(XRPETH).read(line, 9, NOW);
    assertThat(r).isInstanceOfSatisfying(ReadResult.Malformed.class, m -> {
      assertThat(m.reason()).contains(reason);
      assertThat(m.text()).isEqualTo(line);
    });
  }

  @Test
  void theSameTradesReadAsCsvOrAsWebsocketMessagesNormaliseTheSame() throws Exception {
    BinanceAggTradesCsv csv = new BinanceAggTradesCsv(XRPETH);
    BinanceStreamMessages ws = new BinanceStreamMessages(XRPETH);
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      List<String> lines = in.lines().skip(1).limit(500).toList();
      for (String line : lines) {
        String[] c = line.split(",");
        // The same trade as Binance streams it on <symbol>@aggTrade.
        String message = "{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + c[5]
            + ",\"s\":\"XRPETH\",\"a\":" + c[0] + ",\"p\":\"" + c[1] + "\",\"q\":\"" + c[2] + "\",\"f\":" + c[3]
            + ",\"l\":" + c[4] + ",\"T\":" + c[5] + ",\"m\":" + c[6].toLowerCase() + ",\"M\":"
            + c[7].toLowerCase() + "}}";
        RawTrade a = parsed(csv.read(line, 1, NOW));
        RawTrade b = parsed(ws.read(message, 1, NOW));
        assertThat(List.of(b.getTradeId(), b.getPrice(), b.getAmount(), b.getSide(), b.getEventTime(), b.getSymbol()))
            .isEqualTo(List.of(a.getTradeId(), a.getPrice(), a.getAmount(), a.getSide(), a.getEventTime(), a.getSymbol()));
      }
    }
  }

  @Test
  void formatsAreFoundByNameAndAnUnknownOneListsTheKnownOnes() {
    for (String name : TradeFormats.NAMES) {
      assertThat(TradeFormats.forName(name, XRPETH).name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> TradeFormats.forName("parquet", XRPETH))
        .hasMessageContaining("binance-aggtrades-csv, binance-trades-csv, binance-ws-jsonl");
  }

  private static RawTrade parsed(ReadResult r) {
    assertThat(r).isInstanceOf(ReadResult.Parsed.class);
    return ((ReadResult.Parsed) r).trade();
  }
}
