package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.RequestBudget;
import dev.tickflow.ingestors.live.IngestHttpServer;
import dev.tickflow.ingestors.live.IngestMetrics;
import dev.tickflow.ingestors.live.LiveIngestor;
import dev.tickflow.ingestors.testing.Wait;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Several markets over real sockets: split over connections by the subscription limit, a silent connection
 * reopened, and the metrics and health endpoints telling the truth about it.
 */
class BinanceIngestorTest {

  @Test
  void marketsAreSplitBySubscriptionLimitAndASilentConnectionIsReopened() throws Exception {
    try (BinanceRestServer rest = new BinanceRestServer()) {
      BinanceStreamServer ws = new BinanceStreamServer();
      ws.startAndWait();
      // 2 streams per connection and trades + quotes: one market per connection
      BinanceExchange binance = new BinanceExchange(rest.baseUrl(), Duration.ofSeconds(5), RequestBudget.unlimited(), 2);
      List<RawTrade> trades = new CopyOnWriteArrayList<>();
      IngestMetrics metrics = new IngestMetrics();
      AtomicReference<Exception> producerFailure = new AtomicReference<>();
      LiveFeed.Listener listener = new LiveFeed.Listener() {
        @Override
        public void onTrade(RawTrade t) {
          trades.add(t);
          metrics.trade(Ticker.key(t.getExchange(), "XRP", "ETH"), t.getExchange(), t.getEventTime(), t.getIngestTime());
        }

        @Override
        public void onQuote(Quote quote) {}

        @Override
        public void onMalformed(String message, String reason) {}

        @Override
        public void onGap(FeedGap gap) {}
      };
      try (LiveIngestor ingestor = new LiveIngestor(binance, ws.baseUrl(),
          List.of(binance.market("XRP/ETH"), binance.market("BTC/USDT")), EnumSet.of(Channel.TRADES, Channel.QUOTES),
          0, listener, new LiveFeed.Options(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMillis(600), "t"))) {
        metrics.watch(ingestor::feeds, () -> 0);
        try (IngestHttpServer http = new IngestHttpServer(0, metrics, ingestor::feeds, producerFailure::get,
            Duration.ofSeconds(30))) {
          ingestor.start();
          assertThat(ingestor.feeds()).hasSize(2);
          Wait.until("two connections", () -> ws.connections.size() == 2);
          assertThat(ws.connections).containsExactlyInAnyOrder(
              "/stream?streams=xrpeth@aggTrade/xrpeth@bookTicker", "/stream?streams=btcusdt@aggTrade/btcusdt@bookTicker");

          ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"XRPETH\",\"a\":13519807,"
              + "\"p\":\"0.00141342\",\"q\":\"23.00000000\",\"T\":1570752011620,\"m\":true}}");
          Wait.until("a trade", () -> trades.size() == 1);
          assertThat(get(http, "/health").statusCode()).isEqualTo(200);

          // Pongs count as life: while the server answers pings, quiet connections stay open.
          long before = ws.connections.size();
          ws.ignorePings = true; // now both links are open but dead
          // the server sees a connection before the client counts it as opened: wait for both sides
          Wait.until("both silent connections reopened", () -> ws.connections.size() >= before + 2
              && ingestor.feeds().stream().allMatch(f -> f.connects() >= 2));

          ws.stop(1000);
          Wait.until("both connections down", () -> ingestor.feeds().stream().noneMatch(f -> f.status().connected()));
          HttpResponse<String> health = get(http, "/health");
          assertThat(health.statusCode()).isEqualTo(503);
          assertThat(health.body()).contains("\"status\" : \"DOWN\"").contains("BINANCE#0").contains("XRP/ETH");

          String scraped = get(http, "/metrics").body();
          assertThat(scraped).contains("tickflow_ingest_trades_total{ticker=\"BINANCE:XRP/ETH\"} 1.0")
              .contains("tickflow_ingest_connected{connection=\"BINANCE#0\"} 0.0")
              .contains("tickflow_ingest_lag_seconds_count{exchange=\"BINANCE\"} 1");
        }
      }
    }
  }

  private static HttpResponse<String> get(IngestHttpServer http, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
