package dev.tickflow.ingestors.history;

import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.TradeChecks;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.schemas.event.HistoryFetched;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.HistoryStatus;
import dev.tickflow.schemas.event.SourceRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one history request: fetches the ticker's trades in {@code [fromTime, toTime)} over REST, page by page
 * within the venue's request budget, writes them to the raw topic tagged with the request id, then writes a
 * {@link HistoryFetched} completion marker with the exact offsets the trades landed at, so a job can tell when it
 * has consumed all of them. Candle requests ({@code ohlc:<tf>}) are answered with trades too: tickflow's candles
 * are built from trades, and equal the venue's own.
 */
public final class HistoryFetcher {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryFetcher.class);

  private final Exchange venue;
  private final MarketDataProducer out;
  private final String ingestorId;

  public HistoryFetcher(Exchange venue, MarketDataProducer out, String ingestorId) {
    this.venue = venue;
    this.out = out;
    this.ingestorId = ingestorId;
  }

  /** Fetches, writes and marks one request; the marker says FAILED (with why) if anything went wrong. */
  public HistoryFetched fetch(HistoryRequest r) throws IOException {
    String symbol = r.getBase().toUpperCase(Locale.ROOT) + "/" + r.getQuote().toUpperCase(Locale.ROOT);
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    long[] rows = {0};
    HistoryStatus status = HistoryStatus.OK;
    String message = "";
    Instant now = Instant.now();
    try {
      if (!venue.id().equalsIgnoreCase(r.getExchange())) {
        throw new ExchangeException("request for " + r.getExchange() + " reached the " + venue.id() + " ingestor");
      }
      if (!r.getFromTime().isBefore(r.getToTime())) {
        throw new ExchangeException("empty range: from " + r.getFromTime() + " is not before to " + r.getToTime());
      }
      venue.fetchTradesBetween(symbol, r.getFromTime(), r.getToTime(), t -> {
        if (TradeChecks.problem(t, now) != null) {
          return; // the live path dead-letters these; a history answer simply leaves them out
        }
        t.setIngestorId(ingestorId);
        t.setHistoryRequestId(r.getRequestId());
        try {
          sends.add(out.trade(t));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        rows[0]++;
      });
      out.flush();
    } catch (ExchangeException | UncheckedIOException | IOException e) {
      status = HistoryStatus.FAILED;
      message = e.getMessage();
      LOG.warn("history request {} failed after {} trades: {}", r.getRequestId(), rows[0], message);
    }
    HistoryFetched marker = HistoryFetched.newBuilder()
        .setRequestId(r.getRequestId()).setClientId(r.getClientId()).setExchange(r.getExchange())
        .setBase(r.getBase()).setQuote(r.getQuote()).setDataType(r.getDataType())
        .setFromTime(r.getFromTime()).setToTime(r.getToTime()).setRowCount(rows[0])
        .setWritten(ranges(sends)).setStatus(status).setMessage(message).setIngestorId(ingestorId)
        .setEventTime(Instant.now()).setIngestTime(Instant.now())
        .build();
    out.fetched(marker);
    out.flush();
    LOG.info("history request {}: {} {} trades of {} {}..{} written", r.getRequestId(), status, rows[0], symbol,
        r.getFromTime(), r.getToTime());
    return marker;
  }

  /** The offsets each partition received, from the completed sends. */
  private static List<SourceRange> ranges(List<Future<RecordMetadata>> sends) throws IOException {
    Map<String, long[]> byPartition = new TreeMap<>();
    Map<String, RecordMetadata> meta = new TreeMap<>();
    for (Future<RecordMetadata> f : sends) {
      RecordMetadata m;
      try {
        m = f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        continue; // the failure is reported by the producer's flush
      }
      String key = m.topic() + "/" + m.partition();
      meta.putIfAbsent(key, m);
      byPartition.merge(key, new long[] {m.offset(), m.offset()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<SourceRange> out = new ArrayList<>();
    byPartition.forEach((k, v) -> out.add(new SourceRange(meta.get(k).topic(), meta.get(k).partition(), v[0], v[1])));
    return out;
  }
}
