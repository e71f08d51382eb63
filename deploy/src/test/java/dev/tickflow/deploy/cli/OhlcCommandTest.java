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
