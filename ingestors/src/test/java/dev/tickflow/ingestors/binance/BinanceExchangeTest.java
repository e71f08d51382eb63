package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.exchange.RateLimitedException;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.tickflow.ingestors.exchange.Ohlcv;
import dev.tickflow.schemas.Timeframe;

/** The Binance REST adapter against a local server that serves the real sample in Binance's shape and rules. */
class BinanceExchangeTest {

  private static final Instant T0 = Instant.parse("2019-10-11T00:00:00Z");

  private BinanceRestServer server;
  private BinanceExchange binance;

  @BeforeEach
  void start() throws Exception {
    server = new BinanceRestServer();
    binance = new BinanceExchange(server.baseUrl(), Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void loadsMarketsWithUnifiedSymbolsAndExactIncrements() throws Exception {
    Map<String, Market> markets = binance.loadMarkets();

    assertThat(markets).containsOnlyKeys("XRP/ETH", "BTC/USDT", "BCC/BTC");
    Market xrp = markets.get("XRP/ETH");
    assertThat(xrp.id()).isEqualTo("XRPETH");
    assertThat(xrp.base()).isEqualTo("XRP");
    assertThat(xrp.quote()).isEqualTo("ETH");
    assertThat(xrp.priceTick()).isEqualByComparingTo("0.00000001");
    assertThat(xrp.amountStep()).isEqualByComparingTo("1");
    assertThat(xrp.active()).isTrue();
    assertThat(markets.get("BTC/USDT").amountStep()).isEqualByComparingTo("0.000001");
    assertThat(markets.get("BCC/BTC").active()).isFalse();
    assertThatThrownBy(() -> binance.market("XRP/ETC")).hasMessageContaining("BINANCE has no market XRP/ETC");
  }

  @Test
  void fetchesARangeCompletelyInOrderPagingWithinBinancesRules() throws Exception {
    Instant until = Instant.parse("2019-10-11T03:00:00Z");
    List<RawTrade> trades = new ArrayList<>();
    // Start three hours before the first trade: the adapter must walk quiet windows first.
    long n = binance.fetchTradesBetween("XRP/ETH", T0.minus(Duration.ofHours(3)), until, trades::add);

    List<String[]> expected = sampleRowsBefore(until);
    assertThat(n).isEqualTo(expected.size()).isEqualTo(502);
    assertThat(trades).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      String[] row = expected.get(i);
      RawTrade t = trades.get(i);
      assertThat(t.getTradeId()).isEqualTo(row[0]);
      assertThat(t.getPrice()).isEqualTo(row[1]);   // venue text, verbatim
      assertThat(t.getAmount()).isEqualTo(row[2]);
      assertThat(t.getEventTime().toEpochMilli()).isEqualTo(Long.parseLong(row[5]));
      assertThat(t.getSide()).isEqualTo(row[6].equals("True") ? Side.SELL : Side.BUY);
    }
    assertThat(trades.get(0).getInfo()).containsEntry("a", "13519807").containsEntry("f", "15373518")
        .containsEntry("M", "true");
    assertThat(trades.get(0).getSymbol()).isEqualTo("XRP/ETH");
    assertThat(trades.get(0).getVenueSymbol()).isEqualTo("XRPETH");
    assertThat(server.ruleViolations).isEmpty();
    assertThat(server.requests).anyMatch(r -> r.contains("fromId="));
  }

  @Test
  void theWholeSampleComesBackAcrossPagesWithConsecutiveIds() throws Exception {
    List<RawTrade> trades = new ArrayList<>();
    long n = binance.fetchTradesBetween("XRP/ETH", T0, Instant.parse("2019-10-11T12:00:00Z"), trades::add);

    assertThat(n).isEqualTo(3504);
    for (int i = 1; i < trades.size(); i++) {
      assertThat(Long.parseLong(trades.get(i).getTradeId()))
          .isEqualTo(Long.parseLong(trades.get(i - 1).getTradeId()) + 1);
    }
    assertThat(server.requests.stream().filter(r -> r.contains("fromId="))).hasSizeGreaterThanOrEqualTo(3);
    assertThat(server.ruleViolations).isEmpty();
  }

  @Test
  void fetchTradesReturnsAPageFromSince() throws Exception {
    List<RawTrade> trades = binance.fetchTrades("XRP/ETH", T0.plusSeconds(12), 5);
    assertThat(trades).hasSize(5);
    assertThat(trades).extracting(RawTrade::getTradeId)
        .containsExactly("13519809", "13519810", "13519811", "13519812", "13519813");
    assertThat(server.ruleViolations).isEmpty();
  }

  @Test
  void waitsOutA429AsTheVenueAsksThenCarriesOn() throws Exception {
    binance.loadMarkets();
    server.queue(new BinanceRestServer.Scripted(429, "1", "{\"code\":-1003,\"msg\":\"Too many requests\"}"));
    List<RawTrade> trades = binance.fetchTrades("XRP/ETH", T0, 3);
    assertThat(trades).hasSize(3);
    assertThat(server.requests.stream().filter(r -> r.startsWith("/api/v3/aggTrades"))).hasSize(2);
  }

  @Test
  void aBanLongerThanTheCallerWaitsIsATypedErrorWithTheVenuesAnswer() throws Exception {
    binance.loadMarkets();
    server.queue(new BinanceRestServer.Scripted(418, "120", "{\"code\":-1003,\"msg\":\"Way too many requests\"}"));
    assertThatThrownBy(() -> binance.fetchTrades("XRP/ETH", T0, 3))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.status()).isEqualTo(418);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        })
        .hasMessageContaining("banned");
  }

  @Test
  void anUnreadableAnswerSaysWhatCameBack() throws Exception {
    binance.loadMarkets();
    server.queue(new BinanceRestServer.Scripted(200, null, "<html>maintenance</html>"));
    assertThatThrownBy(() -> binance.fetchTrades("XRP/ETH", T0, 3))
        .isInstanceOf(ExchangeException.class).hasMessageContaining("not JSON").hasMessageContaining("maintenance");

    server.queue(new BinanceRestServer.Scripted(200, null, "[{\"a\":1,\"p\":\"1.0\",\"T\":1570752011620,\"m\":true}]"));
    assertThatThrownBy(() -> binance.fetchTrades("XRP/ETH", T0, 3))
        .isInstanceOf(ExchangeException.class).hasMessageContaining("without 'q'");

    server.queue(new BinanceRestServer.Scripted(400, null, "{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"));
    assertThatThrownBy(() -> binance.fetchTrades("XRP/ETH", T0, 3))
        .isInstanceOf(ExchangeException.class).hasMessageContaining("HTTP 400").hasMessageContaining("Invalid symbol.");
  }

  private static List<String[]> sampleRowsBefore(Instant until) throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] c = line.split(",");
        if (Long.parseLong(c[5]) < until.toEpochMilli()) {
          rows.add(c);
        }
      }
    }
    return rows;
  }

  @Test
  void fetchOhlcvReturnsBinancesOwnKlinesExactly() throws Exception {
    List<Ohlcv> candles = binance.fetchOHLCV("XRP/ETH", Timeframe.M1, T0, 3);
    assertThat(candles).hasSize(3);
    assertThat(candles.get(0).openTime()).isEqualTo(Instant.parse("2019-10-11T00:00:00Z"));
    assertThat(candles.get(0).open()).isEqualByComparingTo("0.00141342");
    assertThat(candles.get(0).high()).isEqualByComparingTo("0.00141557");
    assertThat(candles.get(0).low()).isEqualByComparingTo("0.00141266");
    assertThat(candles.get(0).close()).isEqualByComparingTo("0.00141418");
    assertThat(candles.get(0).volume()).isEqualByComparingTo("1482");
    assertThat(server.requests).last().asString().contains("interval=1m");
  }

  @Test
  void theWeightBinanceReportsIsCountedAgainstTheBudget() throws Exception {
    server.usedWeight = "5990";
    binance.fetchTrades("XRP/ETH", T0, 3);
    assertThat(binance.budget().used()).isGreaterThanOrEqualTo(5990);
  }
}
