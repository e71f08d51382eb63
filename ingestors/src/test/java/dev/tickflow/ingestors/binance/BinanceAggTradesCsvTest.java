package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BinanceAggTradesCsvTest {

  private final BinanceAggTradesCsv csv = new BinanceAggTradesCsv(Ticker.parse("BINANCE:XRP/ETH"));
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void keepsTheVenueTextVerbatim() {
    ReadResult r = csv.read("13519807,0.00141342,23.00000000,15373518,15373518,1570752011620,True,True", 2, now);

    RawTrade t = ((ReadResult.Parsed) r).trade();
    assertThat(t.getExchange()).isEqualTo("BINANCE");
    assertThat(t.getSymbol()).isEqualTo("XRP/ETH");
    assertThat(t.getVenueSymbol()).isEqualTo("XRPETH");
    assertThat(t.getTradeId()).isEqualTo("13519807");
    assertThat(t.getPrice()).isEqualTo("0.00141342");
    assertThat(t.getAmount()).isEqualTo("23.00000000");
    assertThat(t.getSide()).isEqualTo(Side.SELL); // buyer was maker: the taker sold
    assertThat(t.getEventTime()).isEqualTo(Instant.ofEpochMilli(1570752011620L));
    assertThat(t.getIngestTime()).isEqualTo(now);
    assertThat(t.getInfo()).containsEntry("first_trade_id", "15373518").containsEntry("is_best_match", "True")
        .hasSize(8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "13519807,0.00141342,23.0,1,1,1570752011620,True           | expected 8 columns",
      "x1,0.00141342,23.0,1,1,1570752011620,True,True            | agg_trade_id 'x1'",
      "1,0.00141342,23.0,1,1,2019-10-11,True,True                | transact_time '2019-10-11'",
      "1,0.00141342,23.0,1,1,1570752011620,maybe,True            | is_buyer_maker 'maybe'"})
  void saysWhyALineIsMalformed(String line, String reason) {
    ReadResult r = csv.read(line, 7, now);
    assertThat(r).isInstanceOfSatisfying(ReadResult.Malformed.class, m -> {
      assertThat(m.reason()).contains(reason);
      assertThat(m.position()).isEqualTo(7);
      assertThat(m.text()).isEqualTo(line);
    });
  }

  @Test
  void readsEveryLineOfTheBundledSample() throws Exception {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      List<String> lines = in.lines().toList();
      assertThat(csv.isHeader(lines.get(0))).isTrue();
      assertThat(lines.subList(1, lines.size()))
          .hasSize(3504)
          .allSatisfy(l -> assertThat(csv.read(l, 0, now)).isInstanceOf(ReadResult.Parsed.class));
    }
  }
}
