package dev.tickflow.ingestors.binance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.ingestors.testing.RecordingListener;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live stream against a real websocket server and the REST stand-in, both serving the real Binance sample:
 * gaps are filled over REST in order, a dropped connection is reopened on the same streams, copies from the
 * overlap are dropped, and a bad message is reported while the stream goes on.
 */
class BinanceLiveFeedTest {

  private BinanceRestServer rest;
  private BinanceStreamServer ws;
  private LiveFeed stream;
  private final RecordingListener recorder = new RecordingListener();
  private final List<RawTrade> trades = recorder.trades;
  private final List<FeedGap> gaps = recorder.gaps;
  private final List<Quote> quotes = recorder.quotes;
  private final List<String> malformed = recorder.malformed;
  private List<String[]> sample;

  @BeforeEach
  void start() throws Exception {
    rest = new BinanceRestServer();
    ws = new BinanceStreamServer();
    ws.startAndWait();
    BinanceExchange binance = new BinanceExchange(rest.baseUrl(), Duration.ofSeconds(5));
    stream = new LiveFeed("BINANCE#0", ws.baseUrl(), binance, List.of(binance.market("XRP/ETH")),
        EnumSet.of(Channel.TRADES, Channel.QUOTES), recorder,
        new LiveFeed.Options(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30), "test-ingestor"));
    stream.start();
    waitFor("the stream to connect", () -> ws.connections.size() == 1);
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(SampleData.open(SampleData.TRADES), StandardCharsets.UTF_8))) {
      sample = in.lines().skip(1).limit(40).map(l -> l.split(",")).toList();
    }
  }

  @AfterEach
  void stop() throws Exception {
    stream.close();
    ws.stop(1000);
    rest.close();
  }

  @Test
  void subscribesToTheMarketsOnTheCombinedStream() {
    assertThat(ws.connections).containsExactly("/stream?streams=xrpeth@aggTrade/xrpeth@bookTicker");
  }

  @Test
  void aGapIsFilledOverRestBeforeTheStreamMovesOn() {
    sendRows(0, 10);
    sendRows(15, 20); // rows 10..14 never come live
    waitFor("20 trades", () -> trades.size() == 20);

    assertThat(ids()).isEqualTo(sampleIds(0, 20));
    assertThat(gaps).singleElement().satisfies(g -> {
      assertThat(g.getExchange() + ":" + g.getBase() + "/" + g.getQuote()).isEqualTo("BINANCE:XRP/ETH");
      assertThat(g.getFromTradeId()).isEqualTo(sample.get(10)[0]);
      assertThat(g.getToTradeId()).isEqualTo(sample.get(14)[0]);
      assertThat(g.getMissing()).isEqualTo(5);
      assertThat(g.getRecovered()).isEqualTo(5);
      assertThat(g.getRepaired()).isTrue();
      assertThat(g.getIngestorId()).isEqualTo("test-ingestor");
      assertThat(g.getFromTime().toEpochMilli()).isEqualTo(Long.parseLong(sample.get(9)[5]));
      assertThat(g.getToTime().toEpochMilli()).isEqualTo(Long.parseLong(sample.get(15)[5]));
    });
    assertThat(trades.get(12).getFormat()).isEqualTo(BinanceExchange.FORMAT); // came over REST
    assertThat(trades.get(16).getFormat()).isEqualTo(BinanceProtocol.FORMAT); // came live
    assertThat(trades).allMatch(t -> t.getIngestorId().equals("test-ingestor"));
  }

  @Test
  void aDroppedConnectionIsReopenedOnTheSameStreamsAndNothingIsMissedOrDoubled() {
    sendRows(0, 8);
    waitFor("8 trades", () -> trades.size() == 8);
    ws.dropAll();
    waitFor("a reconnect", () -> ws.connections.size() == 2);
    assertThat(ws.connections.get(1)).isEqualTo(ws.connections.get(0));

    sendRows(6, 30); // the first two of these were already seen before the drop
    waitFor("30 trades", () -> trades.size() == 30);
    assertThat(ids()).isEqualTo(sampleIds(0, 30));
    assertThat(stream.duplicatesDropped()).isEqualTo(2);
    assertThat(stream.connects()).isEqualTo(2);
    assertThat(gaps).isEmpty();
  }

  @Test
  void tradesMissedWhileDisconnectedAreFetchedAfterTheReconnect() {
    sendRows(0, 5);
    waitFor("5 trades", () -> trades.size() == 5);
    ws.dropAll();
    waitFor("a reconnect", () -> ws.connections.size() == 2);
    sendRows(12, 20); // rows 5..11 traded while the connection was down
    waitFor("20 trades", () -> trades.size() == 20);

    assertThat(ids()).isEqualTo(sampleIds(0, 20));
    assertThat(gaps).singleElement().satisfies(g -> assertThat(g.getRecovered()).isEqualTo(7));
  }

  @Test
  void aBadMessageIsReportedAndTheStreamGoesOn() {
    sendRows(0, 3);
    ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"XRPETH\",\"a\":1}}");
    ws.broadcast("{\"result\":null,\"id\":1}");
    sendRows(3, 6);
    waitFor("6 trades", () -> trades.size() == 6);
    assertThat(malformed).singleElement().asString().contains("without 'p'");
    assertThat(ids()).isEqualTo(sampleIds(0, 6));
  }

  @Test
  void impossibleTradesAreDeadLetteredWithTheReason() {
    sendRows(0, 2);
    String[] c = sample.get(2);
    ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"XRPETH\",\"a\":" + c[0]
        + ",\"p\":\"-0.001\",\"q\":\"1\",\"T\":" + c[5] + ",\"m\":true}}");
    ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"s\":\"XRPETH\",\"a\":" + c[0]
        + ",\"p\":\"0.001\",\"q\":\"1\",\"T\":99999999999999,\"m\":true}}");
    ws.broadcast("not json at all");
    sendRows(2, 4);
    waitFor("4 trades", () -> trades.size() == 4);
    assertThat(malformed).hasSize(3);
    assertThat(malformed.get(0)).contains("price -0.001 is not positive");
    assertThat(malformed.get(1)).contains("in the future");
    assertThat(malformed.get(2)).contains("not JSON");
    assertThat(ids()).isEqualTo(sampleIds(0, 4));
  }

  @Test
  void bookTickerUpdatesBecomeExactQuotes() {
    ws.broadcast("{\"stream\":\"xrpeth@bookTicker\",\"data\":{\"u\":400900217,\"s\":\"XRPETH\","
        + "\"b\":\"0.00141342\",\"B\":\"31.21000000\",\"a\":\"0.00141418\",\"A\":\"40.66000000\"}}");
    ws.broadcast("{\"stream\":\"xrpeth@bookTicker\",\"data\":{\"u\":400900218,\"s\":\"XRPETH\","
        + "\"b\":\"0.00141500\",\"B\":\"1\",\"a\":\"0.00141418\",\"A\":\"2\"}}");
    waitFor("a quote and a crossed book", () -> quotes.size() == 1 && malformed.size() == 1);
    Quote q = quotes.get(0);
    assertThat(q.getBidPrice()).isEqualByComparingTo("0.00141342");
    assertThat(q.getAskAmount()).isEqualByComparingTo("40.66");
    assertThat(q.getIngestorId()).isEqualTo("test-ingestor");
    assertThat(q.getInfo()).containsEntry("u", "400900217").containsEntry("timeSource", "ingest");
    assertThat(malformed.get(0)).contains("crossed book");
  }

  private void sendRows(int from, int to) {
    for (String[] c : sample.subList(from, to)) {
      ws.broadcast("{\"stream\":\"xrpeth@aggTrade\",\"data\":{\"e\":\"aggTrade\",\"E\":" + c[5] + ",\"s\":\"XRPETH\","
          + "\"a\":" + c[0] + ",\"p\":\"" + c[1] + "\",\"q\":\"" + c[2] + "\",\"f\":" + c[3] + ",\"l\":" + c[4]
          + ",\"T\":" + c[5] + ",\"m\":" + c[6].toLowerCase() + ",\"M\":" + c[7].toLowerCase() + "}}");
    }
  }

  private List<Long> ids() {
    return trades.stream().map(t -> Long.parseLong(t.getTradeId())).toList();
  }

  private List<Long> sampleIds(int from, int to) {
    return sample.subList(from, to).stream().map(c -> Long.parseLong(c[0])).toList();
  }

  private static void waitFor(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
