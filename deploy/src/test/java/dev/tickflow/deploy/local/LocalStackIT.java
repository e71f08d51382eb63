package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises, end to end on the real parts: Kafka (KRaft), Flink, Iceberg on an S3 API, ZeroMQ.
 *
 * <p>Run 1 replays the bundled Binance trades up to 02:00; the stack stops (savepoint) and starts again on the
 * same data directory; run 2 replays from the start up to 03:00 (the new hour partly out of order, with feed
 * heartbeats in line), so two hours of trades arrive twice. Then every
 * 1m candle read back through tickflow sql's code path equals Binance's own kline, the trades table holds each
 * trade once, the relay delivered candles, and market_data.ohlc (read_committed) holds each candle once.
 */
class LocalStackIT {

  private static final Instant FIRST_UNTIL = Instant.parse("2019-10-11T02:00:00Z");
  private static final Instant SECOND_UNTIL = Instant.parse("2019-10-11T03:00:00Z");
  private static final String TOPIC = "BINANCE:XRP/ETH|ohlc:1m";

  @TempDir Path dataDir;

  @Test
  void tradesBecomeExactCandlesInIcebergKafkaAndZmqAcrossARestartWithoutDuplicates() throws Exception {
    Map<Long, BigDecimal[]> klines = SampleExpectations.klines();
    LocalStackConfig config = LocalStackConfig.forTests(dataDir);

    List<RelayMessage> relayed = new ArrayList<>();
    long firstRunSnapshot;
    long firstRunBars;
    try (LocalStack stack = LocalStack.start(config)) {
      try (RelaySubscriber subscriber = new RelaySubscriber(stack.relayFanout(), List.of(TOPIC))) {
        Probes.replay(stack.kafkaBootstrap(), FIRST_UNTIL);
        poison(stack);
        long lastBar = SampleExpectations.lastFinalBar(FIRST_UNTIL);
        Probes.awaitCandle(stack.catalog(), lastBar, Duration.ofSeconds(120));
        Catalog catalog = stack.catalog().load();
        Table ohlc = catalog.loadTable(MarketTables.OHLC_ID);
        firstRunSnapshot = ohlc.currentSnapshot().snapshotId();
        firstRunBars = Long.parseLong(ohlc.currentSnapshot().summary().get("total-records"));
        ((AutoCloseable) catalog).close();
        // (b) live updates reached a ZeroMQ subscriber: provisional updates of open bars and final bars
        Probes.waitFor("provisional and final candles on the relay", Duration.ofSeconds(30), () -> {
          subscriber.receive(Duration.ofMillis(200)).ifPresent(relayed::add);
          var isFinal = relayed.stream().map(m -> EventTypes.codec(Candle.class).decode(m.payload()).getIsFinal())
              .collect(java.util.stream.Collectors.toSet());
          return isFinal.contains(true) && isFinal.contains(false);
        });
      }
    }

    try (LocalStack stack = LocalStack.start(config.withFreshPorts())) {
      assertThat(stack.flink().restoredFrom()).as("second run resumes from the savepoint").contains("savepoint");
      // 00:00-02:00 again, then new trades to 03:00, partly out of order, with heartbeats from 02:00 in line as an
      // ingestor sends them
      RelaySubscriber quoteSubscriber = new RelaySubscriber(stack.relayFanout(), List.of(QUOTE_TOPIC));
      replayWithHeartbeatsFrom02WithASilentMinuteAt0230(stack);
      long lastBar = SampleExpectations.lastFinalBar(SECOND_UNTIL);
      Probes.awaitCandle(stack.catalog(), lastBar, Duration.ofSeconds(120));
      // top-of-book quotes: a real one reaches the lake and the relay exactly, an impossible one the dead letters
      quotes(stack);

      // (a) every 1m candle, read through tickflow sql's code path, equals Binance's kline
      SqlRunner sql = new SqlRunner(stack.catalog());
      List<List<Object>> rows = sql.query("SELECT open_time, `open`, high, low, `close`, volume, trade_count "
          + "FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '1m' ORDER BY open_time");
      Map<Long, List<Object>> candles = new TreeMap<>();
      for (List<Object> row : rows) {
        long openTime = Probes.toInstant(row.get(0)).toEpochMilli();
        assertThat(candles.put(openTime, row)).as("bar %s appears once", Instant.ofEpochMilli(openTime)).isNull();
      }
      Set<Long> expectedBars = SampleExpectations.barsWithTrades(klines, lastBar);
      assertThat(candles.keySet()).containsAll(expectedBars);
      for (Map.Entry<Long, List<Object>> e : candles.entrySet()) {
        BigDecimal[] k = klines.get(e.getKey());
        String bar = "bar " + Instant.ofEpochMilli(e.getKey());
        for (int i = 0; i < 5; i++) {
          assertThat((BigDecimal) e.getValue().get(i + 1)).as(bar + " column " + i).isEqualByComparingTo(k[i]);
        }
      }

      // the deduplicator counted every copy it dropped: the two hours replayed again
      long copies = SampleExpectations.tradesBefore(FIRST_UNTIL);
      Probes.waitFor("TickDeduplicator.duplicatesDropped = " + copies, Duration.ofSeconds(60),
          () -> Probes.flinkMetric(stack.flink().webUi(), "TickDeduplicator", "duplicatesDropped") == copies);

      // (c) no trade twice in the lake although two hours were replayed twice
      List<List<Object>> counts = sql.query(
          "SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades WHERE ticker = 'BINANCE:XRP/ETH'");
      long uniqueTrades = SampleExpectations.tradesBefore(SECOND_UNTIL);
      assertThat(((Number) counts.get(0).get(0)).longValue()).isEqualTo(uniqueTrades);
      assertThat(((Number) counts.get(0).get(1)).longValue()).isEqualTo(uniqueTrades);

      // time travel: the table as the first run left it
      List<List<Object>> then = sql.query("SELECT COUNT(*) FROM market.ohlc /*+ OPTIONS('snapshot-id'='"
          + firstRunSnapshot + "') */");
      long nowBars = ((Number) sql.query("SELECT COUNT(*) FROM market.ohlc").get(0).get(0)).longValue();
      assertThat(((Number) then.get(0).get(0)).longValue()).isEqualTo(firstRunBars).isLessThan(nowBars);

      // every coarser timeframe is in the lake once per bar; 5m bars equal Binance's 5m klines
      List<List<Object>> perTimeframe = sql.query("SELECT timeframe, COUNT(*), COUNT(DISTINCT open_time) "
          + "FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' GROUP BY timeframe");
      assertThat(perTimeframe).extracting(r -> (String) r.get(0)).contains("1m", "5m", "15m", "1h");
      perTimeframe.forEach(r -> assertThat(r.get(1)).as("bars of " + r.get(0) + " once each").isEqualTo(r.get(2)));
      Map<Long, BigDecimal[]> klines5m = SampleExpectations.klines5m();
      for (List<Object> row : sql.query("SELECT open_time, `open`, high, low, `close`, volume FROM market.ohlc "
          + "WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '5m'")) {
        BigDecimal[] k = klines5m.get(Probes.toInstant(row.get(0)).toEpochMilli());
        for (int i = 0; i < 5; i++) {
          assertThat((BigDecimal) row.get(i + 1)).as("5m bar " + row.get(0) + " column " + i).isEqualByComparingTo(k[i]);
        }
      }

      // feed health: bars the heartbeats cover are HEALTHY, empty or not; the silent minute is DEGRADED, and so
      // is the 5m bar around it; bars before the first heartbeat are UNKNOWN
      assertThat(sql.query("SELECT feed_health FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '1m' "
          + "AND open_time >= TIMESTAMP '2019-10-11 02:28:00' AND open_time < TIMESTAMP '2019-10-11 02:33:00' "
          + "ORDER BY open_time")).extracting(r -> r.get(0))
          .containsExactly("HEALTHY", "HEALTHY", "DEGRADED", "HEALTHY", "HEALTHY");
      assertThat(sql.query("SELECT feed_health FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '5m' "
          + "AND open_time >= TIMESTAMP '2019-10-11 02:25:00' AND open_time < TIMESTAMP '2019-10-11 02:40:00' "
          + "ORDER BY open_time")).extracting(r -> r.get(0)).containsExactly("HEALTHY", "DEGRADED", "HEALTHY");
      assertThat(sql.query("SELECT DISTINCT feed_health FROM market.ohlc WHERE ticker = 'BINANCE:XRP/ETH' "
          + "AND open_time < TIMESTAMP '2019-10-11 02:00:00'")).extracting(r -> r.get(0)).containsExactly("UNKNOWN");

      // a late trade within the allowed lateness revises its final bar: the lake keeps one current row per bar
      // and every revision in market.ohlc_revisions; Kafka carries both versions
      lateTrade(stack, LATE_TRADE_CSV);
      Probes.awaitCandle(stack.catalog(), LATE_BAR, 1, Duration.ofSeconds(120));
      List<List<Object>> revisedBar = sql.query("SELECT revision, volume, trade_count, revision_reason FROM market.ohlc "
          + "WHERE ticker = 'BINANCE:XRP/ETH' AND timeframe = '1m' AND open_time = TIMESTAMP '2019-10-11 02:58:00'");
      assertThat(revisedBar).singleElement().satisfies(r -> {
        assertThat(r.get(0)).isEqualTo(1);
        assertThat((BigDecimal) r.get(1)).isEqualByComparingTo(klines.get(LATE_BAR)[4].add(new BigDecimal("10")));
        assertThat((String) r.get(3)).startsWith("late trade 99999999 at 2019-10-11T02:58:30Z");
      });
      assertThat(sql.query("SELECT revision FROM market.ohlc_revisions WHERE ticker = 'BINANCE:XRP/ETH' "
          + "AND timeframe = '1m' AND open_time = TIMESTAMP '2019-10-11 02:58:00' ORDER BY revision"))
          .extracting(r -> r.get(0)).containsExactly(0, 1);

      // exactly once into Kafka as well: each final candle revision once in market_data.ohlc, read_committed
      List<Candle> kafkaCandles = Probes.readCommitted(stack.kafkaBootstrap(), Topic.MARKET_DATA_OHLC.topicName()).stream()
          .map(r -> EventTypes.codec(Candle.class).decode(r.value())).toList();
      assertThat(kafkaCandles).allSatisfy(c -> assertThat(c.getIsFinal()).isTrue())
          .extracting(c -> c.getTimeframe() + "@" + c.getOpenTime().toEpochMilli() + "#" + c.getRevision())
          .doesNotHaveDuplicates().contains("1m@" + LATE_BAR + "#0", "1m@" + LATE_BAR + "#1");
      // and each unique trade once in market_data.trades
      List<String> kafkaTrades = Probes.readCommitted(stack.kafkaBootstrap(), Topic.MARKET_DATA_TRADES.topicName())
          .stream().map(r -> EventTypes.codec(Trade.class).decode(r.value()).getTradeId()).toList();
      assertThat(kafkaTrades).doesNotHaveDuplicates().hasSize((int) SampleExpectations.tradesBefore(SECOND_UNTIL) + 1);
      assertThat(kafkaCandles).filteredOn(c -> c.getTimeframe().equals("1m"))
          .extracting(c -> c.getOpenTime().toEpochMilli()).containsAll(expectedBars);

      // every query docs/sql.md shows runs; the ones with something to find find it
      Map<String, List<List<Object>>> documented = new java.util.LinkedHashMap<>();
      for (String query : documentedQueries()) {
        documented.put(query, sql.query(query));
      }
      assertThat(documented).hasSizeGreaterThanOrEqualTo(10);
      assertThat(answerTo(documented, "timeframe = '5m'")).hasSize(12);
      assertThat(answerTo(documented, "LIMIT 100")).hasSize(100);
      assertThat(answerTo(documented, "feed_health = 'DEGRADED'")).singleElement()
          .satisfies(r -> assertThat(Probes.toInstant(r.get(0))).isEqualTo(Instant.parse("2019-10-11T02:30:00Z")));
      assertThat(answerTo(documented, "FROM market.ohlc_revisions")).extracting(r -> r.get(1)).contains(1);
      assertThat(answerTo(documented, "trades_in_lake")).isNotEmpty()
          .allSatisfy(r -> assertThat(((Number) r.get(2)).longValue()).isEqualTo(((Number) r.get(1)).longValue()));
      assertThat(answerTo(documented, "ohlc$snapshots")).isNotEmpty();
      assertThat(answerTo(documented, "FROM market.gaps")).singleElement().satisfies(r -> {
        assertThat(Probes.toInstant(r.get(1))).isEqualTo(GAP_FROM);
        assertThat(r.get(3)).isEqualTo(4L);
        assertThat(r.get(5)).isEqualTo(true);
      });

      Probes.waitFor("the quote in market.quotes", Duration.ofSeconds(60), () -> {
        try {
          return !sql.query("SELECT 1 FROM market.quotes").isEmpty();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(sql.query("SELECT ticker, bid_price, ask_amount, src_topic FROM market.quotes"))
          .singleElement().satisfies(r -> {
            assertThat(r.get(0)).isEqualTo("BINANCE:XRP/ETH");
            assertThat(((BigDecimal) r.get(1)).toPlainString()).isEqualTo("0.001413420000000000");
            assertThat(((BigDecimal) r.get(2)).toPlainString()).isEqualTo("40.660000000000000000");
            assertThat(r.get(3)).isEqualTo(Topic.MARKET_DATA_QUOTES.topicName());
          });
      List<RelayMessage> relayedQuotes = new ArrayList<>();
      Probes.waitFor("the quote on the relay", Duration.ofSeconds(30), () -> {
        quoteSubscriber.receive(Duration.ofMillis(200)).ifPresent(relayedQuotes::add);
        return !relayedQuotes.isEmpty();
      });
      quoteSubscriber.close();
      assertThat(relayedQuotes.get(0).topic()).isEqualTo(QUOTE_TOPIC);
      assertThat(EventTypes.codec(Quote.class).decode(relayedQuotes.get(0).payload()).getBidPrice())
          .isEqualByComparingTo("0.00141342");

      // the SQL Gateway answers over REST from the same catalog, as notebooks and JDBC tools reach it
      List<List<com.fasterxml.jackson.databind.JsonNode>> viaGateway = Probes.gatewayQuery(stack.sqlGateway(),
          "SELECT COUNT(*), MAX(`close`) FROM tickflow.market.ohlc WHERE timeframe = '1m'", Duration.ofSeconds(120));
      List<Object> viaRunner = sql.query(
          "SELECT COUNT(*), MAX(`close`) FROM market.ohlc WHERE timeframe = '1m'").get(0);
      assertThat(viaGateway).singleElement().satisfies(row -> {
        assertThat(row.get(0).asLong()).isEqualTo(((Number) viaRunner.get(0)).longValue()).isPositive();
        assertThat(row.get(1).decimalValue()).isEqualByComparingTo((BigDecimal) viaRunner.get(1));
      });
      sql.close();

      // the poison record and the impossible quote reached the dead-letter topic with their reasons, and nothing
      // else did
      Probes.waitFor("the impossible quote's dead letter committed", Duration.ofSeconds(30), () ->
          Probes.readCommitted(stack.kafkaBootstrap(), Topic.DEADLETTER.topicName()).size() >= 2);
      List<DeadLetter> deadLetters = Probes.readCommitted(stack.kafkaBootstrap(), Topic.DEADLETTER.topicName()).stream()
          .map(r -> EventTypes.codec(DeadLetter.class).decode(r.value())).toList();
      assertThat(deadLetters).hasSize(2);
      assertThat(deadLetters).filteredOn(d -> d.getSourceTopic().equals(Topic.MARKET_DATA_RAW.topicName()))
          .singleElement().satisfies(d -> {
            assertThat(d.getErrorType()).isEqualTo("NOT_SINGLE_OBJECT");
            assertThat(StandardCharsets.UTF_8.decode(d.getPayload()).toString()).isEqualTo("not a trade");
          });
      assertThat(deadLetters).filteredOn(d -> d.getSourceTopic().equals(Topic.MARKET_DATA_QUOTES.topicName()))
          .singleElement().satisfies(d -> {
            assertThat(d.getErrorType()).isEqualTo("INVALID_QUOTE");
            assertThat(d.getReason()).contains("must both be positive");
          });
    }

    // with the stack stopped, tickflow sql still answers from the data directory
    java.io.StringWriter out = new java.io.StringWriter();
    int exit = dev.tickflow.deploy.cli.TickflowCli.commandLine().setOut(new java.io.PrintWriter(out))
        .execute("sql", "--data-dir", dataDir.toString(), "--format", "csv",
            "SELECT COUNT(*) AS trades FROM market.trades");
    assertThat(exit).isZero();
    assertThat(out.toString().lines())
        .containsExactly("trades", Long.toString(SampleExpectations.tradesBefore(SECOND_UNTIL) + 1));

    Candle first = EventTypes.codec(Candle.class).decode(relayed.get(0).payload());
    assertThat(relayed.get(0).topic()).isEqualTo(TOPIC);
    assertThat(first.getTimeframe()).isEqualTo("1m");
  }

  /**
   * A trade for the 02:58 bar sent after the replay to 03:00: its last trade is at 02:59:50.199, so the watermark
   * (2 s behind) has made 02:58 final, and the 2 min allowed lateness has not passed. The id is above every
   * sample id, so the deduplicator lets it through.
   */
  private static final String LATE_TRADE_CSV = "99999999,0.00142000,10.00000000,99999999,99999999,1570762710000,False,True";
  private static final long LATE_BAR = Instant.parse("2019-10-11T02:58:00Z").toEpochMilli();

  private static void lateTrade(LocalStack stack, String csvLine) throws Exception {
    var parsed = (dev.tickflow.ingestors.ReadResult.Parsed) new dev.tickflow.ingestors.binance.BinanceAggTradesCsv(
        dev.tickflow.schemas.Ticker.parse("BINANCE:XRP/ETH")).read(csvLine, 0, Instant.now());
    try (Producer<String, byte[]> producer =
        new KafkaProducer<>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()))) {
      new dev.tickflow.ingestors.kafka.MarketDataProducer(producer).trade(parsed.trade()).get();
    }
  }

  /**
   * The sample up to 03:00 as a live ingestor would have sent it from 02:00 on: a connected heartbeat every 5 s
   * in line with the trades, except during the minute from 02:30, when the feed said nothing; neighbouring
   * trades less than a second apart arrive swapped.
   */
  private static void replayWithHeartbeatsFrom02WithASilentMinuteAt0230(LocalStack stack) throws Exception {
    long silentFrom = Instant.parse("2019-10-11T02:30:00Z").toEpochMilli();
    long silentTo = Instant.parse("2019-10-11T02:31:00Z").toEpochMilli();
    var csv = new dev.tickflow.ingestors.binance.BinanceAggTradesCsv(
        dev.tickflow.schemas.Ticker.parse("BINANCE:XRP/ETH"));
    try (Producer<String, byte[]> producer =
            new KafkaProducer<>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()));
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(
            dev.tickflow.ingestors.replay.SampleData.open(dev.tickflow.ingestors.replay.SampleData.TRADES),
            StandardCharsets.UTF_8))) {
      var kafka = new dev.tickflow.ingestors.kafka.MarketDataProducer(producer);
      List<dev.tickflow.schemas.event.RawTrade> trades = new ArrayList<>();
      long offset = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (csv.isHeader(line)) {
          continue;
        }
        var trade = ((dev.tickflow.ingestors.ReadResult.Parsed) csv.read(line, offset++, Instant.now())).trade();
        if (trade.getEventTime().isBefore(SECOND_UNTIL)) {
          trades.add(trade);
        }
      }
      // out of order, within the 2 s the watermark allows: from 02:00 each pair of neighbours less than 1 s apart
      // swaps places; the candles must not change
      int swapped = 0;
      for (int i = 0; i + 1 < trades.size(); i++) {
        var a = trades.get(i);
        var b = trades.get(i + 1);
        if (!a.getEventTime().isBefore(FIRST_UNTIL)
            && b.getEventTime().toEpochMilli() - a.getEventTime().toEpochMilli() < 1_000) {
          trades.set(i, b);
          trades.set(i + 1, a);
          swapped++;
          i++;
        }
      }
      assertThat(swapped).as("trades sent out of order").isGreaterThan(20);
      long nextBeat = FIRST_UNTIL.toEpochMilli();
      boolean gapSent = false;
      for (var trade : trades) {
        long time = trade.getEventTime().toEpochMilli();
        if (!gapSent && time >= GAP_FROM.toEpochMilli() + 10_000) {
          kafka.gap(dev.tickflow.schemas.event.FeedGap.newBuilder().setExchange("BINANCE").setBase("XRP")
              .setQuote("ETH").setFromTradeId("1").setToTradeId("4").setFromTime(GAP_FROM)
              .setToTime(GAP_FROM.plusSeconds(10)).setMissing(4).setRecovered(4).setRepaired(true)
              .setReason("sequence jump, filled over REST").setIngestorId("it").setEventTime(Instant.ofEpochMilli(time))
              .setIngestTime(Instant.ofEpochMilli(time)).build());
          gapSent = true;
        }
        for (; nextBeat <= time; nextBeat += 5_000) {
          if (nextBeat < silentFrom || nextBeat >= silentTo) {
            kafka.heartbeat(dev.tickflow.schemas.event.FeedHeartbeat.newBuilder().setExchange("BINANCE")
                .setBase("XRP").setQuote("ETH").setIngestorId("it").setConnected(true).setLastMessageAgeMillis(100)
                .setEventTime(Instant.ofEpochMilli(nextBeat)).setIngestTime(Instant.ofEpochMilli(nextBeat)).build());
          }
        }
        kafka.trade(trade);
      }
      kafka.flush();
    }
  }

  /** The ```sql blocks of docs/sql.md. */
  private static List<String> documentedQueries() throws Exception {
    String page = java.nio.file.Files.readString(Path.of("..", "docs", "sql.md"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("```sql\\n(.*?)```", java.util.regex.Pattern.DOTALL)
        .matcher(page);
    List<String> queries = new ArrayList<>();
    while (m.find()) {
      queries.add(m.group(1).strip());
    }
    return queries;
  }

  private static List<List<Object>> answerTo(Map<String, List<List<Object>>> answers, String containing) {
    return answers.entrySet().stream().filter(e -> e.getKey().contains(containing)).map(Map.Entry::getValue)
        .findFirst().orElseThrow(() -> new AssertionError("docs/sql.md has no query with " + containing));
  }

  private static final String QUOTE_TOPIC = "BINANCE:XRP/ETH|quote";
  /** A repaired gap of 4 trades the replay reports in line at 02:45. */
  private static final Instant GAP_FROM = Instant.parse("2019-10-11T02:45:00Z");

  private static void quotes(LocalStack stack) throws Exception {
    Instant t = SECOND_UNTIL.minusSeconds(5);
    java.util.function.Function<String, BigDecimal> dec = v -> new BigDecimal(v).setScale(18);
    Quote good = Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setBidPrice(dec.apply("0.00141342")).setBidAmount(dec.apply("31.21")).setAskPrice(dec.apply("0.00141418"))
        .setAskAmount(dec.apply("40.66")).setEventTime(t).setIngestTime(t).setIngestorId("it").build();
    Quote impossible = Quote.newBuilder(good).setBidPrice(dec.apply("0")).build();
    try (Producer<String, byte[]> producer =
            new KafkaProducer<>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()))) {
      var kafka = new dev.tickflow.ingestors.kafka.MarketDataProducer(producer);
      kafka.quote(good);
      kafka.quote(impossible);
      kafka.flush();
    }
  }

  private static void poison(LocalStack stack) throws Exception {
    try (Producer<String, byte[]> producer =
        new KafkaProducer<>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()))) {
      producer.send(new ProducerRecord<>(Topic.MARKET_DATA_RAW.topicName(), null,
          FIRST_UNTIL.toEpochMilli() - 1, "BINANCE:XRP/ETH", "not a trade".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

}
