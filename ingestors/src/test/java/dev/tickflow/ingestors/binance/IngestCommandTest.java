package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.live.IngestCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestCommandTest {

  @Test
  void dryRunPrintsLiveTradesUntilTheLimit() throws Exception {
    try (BinanceRestServer rest = new BinanceRestServer()) {
      BinanceStreamServer ws = new BinanceStreamServer();
      ws.startAndWait();
      try {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new IngestCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--symbols", "xrp/eth",
            "--rest-url", rest.baseUrl().toString(), "--ws-url", ws.baseUrl().toString(), "--dry-run", "--limit", "3", "--metrics-port", "-1"));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ws.connections.isEmpty() && System.nanoTime() < deadline) {
          LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        for (int id = 0; id < 3; id++) {
          ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":1570752011625,"
              + "\"s\":\"XRPETH\",\"a\":" + (13519807 + id) + ",\"p\":\"0.00141342\",\"q\":\"23.00000000\","
              + "\"f\":1,\"l\":1,\"T\":1570752011620,\"m\":true,\"M\":true}}");
        }
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString().lines()).hasSize(3)
            .allMatch(l -> l.contains("\"@type\":\"RawTrade\"") && l.contains("\"price\":\"0.00141342\""));
      } finally {
        ws.stop(1000);
      }
    }
  }

  @Test
  void anUnknownSymbolOrExchangeIsACleanError() throws Exception {
    try (BinanceRestServer rest = new BinanceRestServer()) {
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new IngestCommand()).setErr(new PrintWriter(err));
      assertThat(cli.execute("--symbols", "XRP/ETC", "--rest-url", rest.baseUrl().toString(), "--dry-run", "--metrics-port", "-1"))
          .isEqualTo(1);
      assertThat(cli.execute("--exchange", "mtgox", "--symbols", "BTC/USD")).isEqualTo(2);
      assertThat(err.toString()).contains("exchange 'mtgox' is not supported; supported: binance, coinbase, kraken");
      assertThat(cli.execute()).isEqualTo(2);
      assertThat(err.toString()).contains("--symbols");
    }
  }
}
