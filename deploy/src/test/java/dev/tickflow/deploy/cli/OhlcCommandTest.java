package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.ingestors.replay.SampleData;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tickflow ohlc} over the bundled Binance trades prints Binance's own klines, every bar, digit for digit. */
class OhlcCommandTest {

  @TempDir Path dir;

  @Test
  void candlesFromTheBundledTradesEqualBinancesKlinesEmptyMinutesIncluded() throws Exception {
    Path trades = dir.resolve("trades.csv");
    try (InputStream in = SampleData.open(SampleData.TRADES)) {
      Files.copy(in, trades);
    }
    assertEqualsKlines(trades, "1m", SampleData.KLINES_1M, 720);
    assertEqualsKlines(trades, "5m", SampleData.KLINES_5M, 144);
  }

  @Test
  void aMalformedLineIsSkippedWithItsNumberAndAnImpossibleTradeIsDeadLettered() throws Exception {
    Path trades = dir.resolve("few.csv");
    Files.writeString(trades, String.join("\n",
        "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match",
        "13510203,0.00141342,100.00000000,15363471,15363471,1570752011620,False,True",
        "this is not a trade",
        "13510204,0.00141400,50.00000000,15363472,15363472,1570752012620,True,True",
        "13510205,0,5.00000000,15363473,15363473,1570752013620,True,True",
        "13510206,0.00141500,7.00000000,15363474,15363474,1570752071620,True,True") + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("ohlc", "--input", trades.toString(), "--ticker", "BINANCE:XRP/ETH");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(err.toString()).contains("line 3 skipped").contains("1 trades rejected")
        .contains("1 malformed lines skipped");
    List<String> rows = out.toString().lines().skip(1).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("1570752000000,0.00141342,0.001414,0.00141342,0.001414,150,");
  }

  @Test
  void wrongArgumentsSayWhatIsWrong() {
    StringWriter err = new StringWriter();
    CommandLine cli = TickflowCli.commandLine().setErr(new PrintWriter(err));
    assertThat(cli.execute("ohlc", "--input", dir.resolve("nope.csv").toString(), "--ticker", "BINANCE:XRP/ETH"))
        .isEqualTo(2);
    assertThat(cli.execute("ohlc", "--input", dir.toString(), "--ticker", "BINANCE:XRP/ETH", "--timeframe", "2m"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is not a readable file").contains("timeframe '2m' is not one of");
  }

  private void assertEqualsKlines(Path trades, String tf, String klinesFile, int bars) throws Exception {
    StringWriter out = new StringWriter();
    int exit = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
        .execute("ohlc", "--input", trades.toString(), "--ticker", "BINANCE:XRP/ETH", "--timeframe", tf);
    assertThat(exit).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("open_time,open,high,low,close,volume,quote_volume,trade_count,"
        + "taker_buy_volume,taker_buy_quote_volume,vwap");
    JsonNode klines = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .readTree(SampleData.open(klinesFile));
    assertThat(lines).hasSize(bars + 1);
    assertThat(klines.size()).isEqualTo(bars);
    for (int i = 0; i < bars; i++) {
      String[] row = lines.get(i + 1).split(",");
      JsonNode k = klines.get(i);
      assertThat(Long.parseLong(row[0])).isEqualTo(k.get(0).asLong());
      for (int col = 1; col <= 5; col++) {
        assertThat(new BigDecimal(row[col])).as(tf + " bar " + row[0] + " column " + col)
            .isEqualByComparingTo(k.get(col).decimalValue());
      }
    }
  }
}
