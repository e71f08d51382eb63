package dev.tickflow.jobs.audit;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.io.TopicPublisher;
import dev.tickflow.jobs.lake.RowEvents;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Lake history as the decision pipeline reads it live: the final candles of {@code market.ohlc} and the trades of
 * {@code market.trades} for some tickers over a period, written to a run's own {@code market_data.ohlc.<run>} and
 * {@code market_data.trades.<run>} in the order the market-data job wrote them: each ticker's trades in their Kafka
 * order (provenance offsets), its candles by close time, finer timeframes first; tickers interleaved by time. Rows
 * keep their provenance, so whatever a backtest derives names the raw records it came from, as live.
 */
public final class HistoryFeed {

  /** What was fed: candles and trades written. */
  public record Fed(long candles, long trades, Instant firstTrade, Instant lastTrade) {}

  private static final int SEND_TIMEOUT_SECONDS = 60;

  private HistoryFeed() {}

  /** Feeds {@code [from, to)} of {@code tickers} (all tickers when empty) into the run's topics. */
  public static Fed feed(Catalog catalog, String bootstrapServers, RunScope scope, Set<String> tickers, Instant from,
      Instant to, PrintWriter progress) throws InterruptedException {
    Expression window = Expressions.and(Expressions.greaterThanOrEqual("open_time", RowEvents.micros(from)),
        Expressions.lessThanOrEqual("close_time", RowEvents.micros(to)));
    List<Candle> candles = read(catalog.loadTable(MarketTables.OHLC_ID), window, tickers, Candle.class);
    Expression trades = Expressions.and(Expressions.greaterThanOrEqual("event_time", RowEvents.micros(from)),
        Expressions.lessThan("event_time", RowEvents.micros(to)));
    List<Trade> unique = read(catalog.loadTable(MarketTables.TRADES_ID), trades, tickers, Trade.class).stream()
        .filter(t -> t.getHistoryRequestId() == null).toList();
    List<Candle> orderedCandles = merged(candles,
        c -> Ticker.key(c.getExchange(), c.getBase(), c.getQuote()),
        Comparator.comparing(Candle::getCloseTime)
            .thenComparing(c -> Timeframe.parse(c.getTimeframe()).millis()),
        Candle::getCloseTime);
    List<Trade> orderedTrades = merged(unique,
        t -> Ticker.key(t.getExchange(), t.getBase(), t.getQuote()),
        Comparator.comparing((Trade t) -> t.getSource().getPartition()).thenComparing(t -> t.getSource().getFromOffset())
            .thenComparing(Trade::getEventTime),
        Trade::getEventTime);
    progress.printf(Locale.ROOT, "  history: %,d candles and %,d trades from the lake%n", orderedCandles.size(),
        orderedTrades.size());
    progress.flush();
    TopicPublisher.publish(bootstrapServers, scope.outputTopic(Topic.MARKET_DATA_OHLC),
        c -> Ticker.key(c.getExchange(), c.getBase(), c.getQuote()), Candle.class, orderedCandles, SEND_TIMEOUT_SECONDS);
    TopicPublisher.publish(bootstrapServers, scope.outputTopic(Topic.MARKET_DATA_TRADES),
        t -> Ticker.key(t.getExchange(), t.getBase(), t.getQuote()), Trade.class, orderedTrades, SEND_TIMEOUT_SECONDS);
    return new Fed(orderedCandles.size(), orderedTrades.size(),
        orderedTrades.isEmpty() ? null : orderedTrades.stream().map(Trade::getEventTime).min(Instant::compareTo).get(),
        orderedTrades.isEmpty() ? null : orderedTrades.stream().map(Trade::getEventTime).max(Instant::compareTo).get());
  }

  private static <T extends SpecificRecordBase> List<T> read(Table table, Expression filter, Set<String> tickers,
      Class<T> type) {
    Expression where = tickers.isEmpty() ? filter
        : Expressions.and(filter, Expressions.in("ticker", tickers.toArray()));
    List<T> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(where).build()) {
      for (Record r : rows) {
        out.add(RowEvents.event(r, type));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + table.name(), e);
    }
    return out;
  }

  /** Each ticker's events in {@code within} order, tickers merged by {@code time}. */
  private static <T> List<T> merged(List<T> events, Function<T, String> ticker, Comparator<T> within,
      Function<T, Instant> time) {
    Map<String, List<T>> byTicker = new TreeMap<>();
    events.forEach(e -> byTicker.computeIfAbsent(ticker.apply(e), k -> new ArrayList<>()).add(e));
    byTicker.values().forEach(l -> l.sort(within));
    record Head<T>(List<T> list, int index) {}
    PriorityQueue<Head<T>> heads = new PriorityQueue<>(Comparator.comparing(
        (Head<T> h) -> time.apply(h.list().get(h.index()))).thenComparing(h -> ticker.apply(h.list().get(0))));
    byTicker.values().forEach(l -> heads.add(new Head<>(l, 0)));
    List<T> out = new ArrayList<>(events.size());
    while (!heads.isEmpty()) {
      Head<T> h = heads.poll();
      out.add(h.list().get(h.index()));
      if (h.index() + 1 < h.list().size()) {
        heads.add(new Head<>(h.list(), h.index() + 1));
      }
    }
    return out;
  }
}
