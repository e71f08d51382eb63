package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.schemas.event.FeedGap;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ingestor's metrics, in Prometheus' model: trades and quotes per ticker (rates give trades/s), the lag from
 * the venue's trade time to ingestion, reconnects and liveness per connection, gaps found and repaired, dead
 * letters and producer errors. Each ingestor has its own registry, so tests and several ingestors in one JVM do
 * not share counts.
 */
public final class IngestMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter trades;
  private final Counter quotes;
  private final Histogram lag;
  private final Counter gaps;
  private final Counter gapTradesRecovered;
  private final Counter deadLetters;

  public IngestMetrics() {
    trades = Counter.builder().name("tickflow_ingest_trades_total").help("Trades produced, per ticker")
        .labelNames("ticker").register(registry);
    quotes = Counter.builder().name("tickflow_ingest_quotes_total").help("Quotes produced, per ticker")
        .labelNames("ticker").register(registry);
    lag = Histogram.builder().name("tickflow_ingest_lag_seconds")
        .help("Venue trade time to ingestion, per exchange (clock skew included)")
        .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
        .labelNames("exchange").register(registry);
    gaps = Counter.builder().name("tickflow_ingest_gaps_total")
        .help("Gaps in a ticker's trade ids, by whether REST repaired them").labelNames("ticker", "repaired")
        .register(registry);
    gapTradesRecovered = Counter.builder().name("tickflow_ingest_gap_trades_recovered_total")
        .help("Trades fetched over REST to fill gaps").labelNames("ticker").register(registry);
    deadLetters = Counter.builder().name("tickflow_ingest_dead_letters_total")
        .help("Venue messages sent to the dead-letter topic").labelNames("exchange").register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void trade(String ticker, String exchange, Instant eventTime, Instant ingestTime) {
    trades.labelValues(ticker).inc();
    lag.labelValues(exchange).observe(Math.max(0, Duration.between(eventTime, ingestTime).toNanos()) / 1e9);
  }

  public void quote(String ticker) {
    quotes.labelValues(ticker).inc();
  }

  public void gap(String ticker, FeedGap gap) {
    gaps.labelValues(ticker, Boolean.toString(gap.getRepaired())).inc();
    gapTradesRecovered.labelValues(ticker).inc(gap.getRecovered());
  }

  public void deadLetter(String exchange) {
    deadLetters.labelValues(exchange).inc();
  }

  /** Per-connection metrics read from the feeds when scraped. */
  public void watch(Supplier<List<LiveFeed>> feeds, LongSupplier producerErrors) {
    CounterWithCallback.builder().name("tickflow_ingest_reconnects_total")
        .help("Connections reopened after a drop, per connection").labelNames("connection")
        .callback(cb -> feeds.get().forEach(f -> cb.call(Math.max(0, f.connects() - 1), f.name())))
        .register(registry);
    CounterWithCallback.builder().name("tickflow_ingest_duplicates_dropped_total")
        .help("Trades seen twice on a connection (overlap after a reconnect), dropped").labelNames("connection")
        .callback(cb -> feeds.get().forEach(f -> cb.call(f.duplicatesDropped(), f.name())))
        .register(registry);
    GaugeWithCallback.builder().name("tickflow_ingest_connected").help("1 if the connection is open")
        .labelNames("connection")
        .callback(cb -> feeds.get().forEach(f -> cb.call(f.status().connected() ? 1 : 0, f.name())))
        .register(registry);
    GaugeWithCallback.builder().name("tickflow_ingest_last_message_age_seconds")
        .help("Seconds since the connection last received anything (-1: nothing yet)").labelNames("connection")
        .callback(cb -> feeds.get().forEach(f -> {
          long age = f.status().lastMessageAgeMillis();
          cb.call(age < 0 ? -1 : age / 1000.0, f.name());
        }))
        .register(registry);
    CounterWithCallback.builder().name("tickflow_ingest_producer_errors_total")
        .help("Kafka sends that failed for good").callback(cb -> cb.call(producerErrors.getAsLong()))
        .register(registry);
  }
}
