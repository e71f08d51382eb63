package dev.tickflow.bench.e2e;

import dev.tickflow.bench.BareProxy;
import dev.tickflow.deploy.local.EmbeddedKafka;
import dev.tickflow.deploy.local.Ports;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.ingestors.synthetic.SyntheticConfig;
import dev.tickflow.ingestors.synthetic.SyntheticTrades;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.relay.Relay;
import dev.tickflow.relay.RelayConfig;
import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.relay.ZmqRuntime;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.RawTrade;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Latency of the live path a subscriber sees: a trade produced to {@code market_data.raw} until the provisional
 * 1m candle it updated arrives at a ZeroMQ subscriber of the relay, through the whole market-data job (Kafka
 * source, validation, dedup, the candle aggregator, feed health, the relay sink, the relay). Trades carry the
 * wall-clock time they were produced as their ingest time, and a provisional candle carries its newest trade's, so
 * the subscriber measures receive time minus that. Provisional updates go out as trades arrive, not when the
 * watermark passes, so no watermark delay is in the figure. At each rate, trades flow for a warm-up and then a
 * measured window; one job serves every rate, in the order given. Then the same again through a bare JeroMQ proxy
 * instead of the relay, the relay's peer ({@link BareProxy}).
 */
@Command(name = "relay-latency", mixinStandardHelpOptions = true,
    description = "Trade produced to Kafka -> provisional 1m candle at a relay subscriber: p50/p99/p999 per rate.")
public final class RelayLatency implements Callable<Integer> {

  private static final List<String> ROUTERS = List.of("relay", "bare-proxy");

  @Option(names = "--rates", split = ",", defaultValue = "10000,50000",
      description = "Trades per second to produce, one after another (default: ${DEFAULT-VALUE}).")
  List<Integer> rates;

  @Option(names = "--warmup", defaultValue = "PT30S",
      description = "Before each measured window; the first window after start-up is JIT and first-checkpoint time "
          + "with a shorter one (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--measure", defaultValue = "PT20S", description = "Measured window per rate (default: ${DEFAULT-VALUE}).")
  Duration measure;

  @Option(names = "--tickers", defaultValue = "20", description = "Tickers the trades spread over (default: ${DEFAULT-VALUE}).")
  int tickers;

  @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism and raw-topic partitions (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--buffer-timeout-ms", defaultValue = "-1",
      description = "The job's --buffer-timeout in ms; -1 keeps the job's default, 5 ms (default: ${DEFAULT-VALUE}).")
  long bufferTimeoutMs;

  @Option(names = "--checkpoint-interval", defaultValue = "PT10S",
      description = "The job's checkpoint interval, also its Kafka commit cadence (default: ${DEFAULT-VALUE}, the job's own).")
  Duration checkpointInterval;

  @Option(names = "--routers", split = ",", defaultValue = "relay,bare-proxy",
      description = "What the job publishes through, one after another: tickflow's relay, and its peer, a bare JeroMQ "
          + "XSUB/XPUB proxy (default: ${DEFAULT-VALUE}).")
  List<String> routers;

  @Option(names = "--results", defaultValue = "bench/results", description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
  Path results;

  /** The window being measured: 0 while warming up, else the index of the rate + 1. */
  private volatile int measuring;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RelayLatency()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (rates.stream().anyMatch(r -> r < 1) || tickers < 1 || parallelism < 1 || warmup.isNegative()
        || measure.isNegative() || measure.isZero() || routers.stream().anyMatch(r -> !ROUTERS.contains(r))) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--rates, --tickers and --parallelism must be positive, --measure positive, --warmup not negative, "
              + "--routers among " + ROUTERS);
    }
    WorkDirectory work = WorkDirectory.create("tickflow-bench-latency-");
    List<Map<String, Object>> rows = new ArrayList<>();
    try (work; EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), parallelism);
         MarketDataProducer out = new MarketDataProducer(
             new KafkaProducer<>(RawTopicOptions.producerProperties(kafka.bootstrapServers())))) {
      SyntheticTrades source = new SyntheticTrades(new SyntheticConfig(tickers, 1_000, 1, 0.0, 0, Long.MAX_VALUE, 9,
          Instant.now()));
      for (String router : routers) {
        System.err.printf(Locale.ROOT, "through the %s:%n", router);
        Relay relay = router.equals("relay") ? Relay.start(RelayConfig.loopback(0, 0)) : null;
        BareProxy proxy = relay == null ? BareProxy.start(ZmqRuntime.context()) : null;
        try {
          rows.addAll(measure(kafka, out, source, router,
              relay != null ? relay.ingressEndpoint() : proxy.ingressEndpoint(),
              relay != null ? relay.fanoutEndpoint() : proxy.fanoutEndpoint()));
        } finally {
          if (relay != null) {
            relay.close();
          } else {
            proxy.close();
          }
        }
      }
    }
    Map<String, Object> report = BenchReport.start("relay-latency");
    report.put("input", Map.of("tickers", tickers, "partitions", parallelism, "warmup", warmup.toString(),
        "measure", measure.toString(), "bufferTimeoutMs", bufferTimeoutMs < 0 ? "job default (5)" : bufferTimeoutMs,
        "checkpointInterval", checkpointInterval.toString()));
    report.put("results", rows);
    Path file = BenchReport.write(results, report);
    System.out.printf(Locale.ROOT, "%n%-11s %12s %12s %9s %8s %8s %8s %8s%n", "router", "rate", "produced/s",
        "updates", "p50 ms", "p99 ms", "p999 ms", "max ms");
    for (Map<String, Object> r : rows) {
      System.out.printf(Locale.ROOT, "%-11s %,12d %,12d %9s %8s %8s %8s %8s%n", r.get("router"), (Integer) r.get("rate"),
          (Long) r.get("producedPerSecond"), r.get("updates"), r.get("p50Ms"), r.get("p99Ms"), r.get("p999Ms"),
          r.get("maxMs"));
    }
    System.out.println("\nwritten to " + file);
    return 0;
  }

  /**
   * One market-data job publishing to {@code ingress}, a subscriber on {@code fanout}, and every rate in turn. Each
   * router gets a job of its own, whose consumer group starts at the raw topic's end: the trades produced for the
   * previous router are not read again.
   */
  private List<Map<String, Object>> measure(EmbeddedKafka kafka, MarketDataProducer out, SyntheticTrades source,
      String router, String ingress, String fanout) throws Exception {
    String group = "bench-latency-" + router;
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> end = new LinkedHashMap<>();
      BenchInput.rawEnd(admin, parallelism).forEach((tp, offset) -> end.put(tp, new OffsetAndMetadata(offset)));
      admin.alterConsumerGroupOffsets(group, end).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    MarketDataJobConfig config = MarketDataJobConfig.defaults(kafka.bootstrapServers(), null, ingress)
        .toBuilder().parallelism(parallelism).quotesTopic("").checkpointInterval(checkpointInterval).groupId(group)
        .bufferTimeout(bufferTimeoutMs < 0 ? null : Duration.ofMillis(bufferTimeoutMs)).build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    MarketDataJob.build(env, config);
    JobClient job = env.executeAsync("bench relay latency (" + router + ")");
    List<List<Long>> latencies = new ArrayList<>();
    rates.forEach(r -> latencies.add(java.util.Collections.synchronizedList(new ArrayList<>())));
    Thread subscriber = new Thread(() -> subscribe(fanout, latencies), "latency-subscriber-" + router);
    subscriber.setDaemon(true);
    subscriber.start();
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      for (int i = 0; i < rates.size(); i++) {
        int rate = rates.get(i);
        System.err.printf(Locale.ROOT, "  %,d trades/s: %s warm-up, %s measured ...%n", rate, warmup, measure);
        measuring = 0;
        produce(out, source, rate, warmup);
        measuring = i + 1;
        long start = System.nanoTime();
        long produced = produce(out, source, rate, measure);
        double seconds = (System.nanoTime() - start) / 1e9;
        measuring = 0;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("router", router);
        row.putAll(row(rate, produced / seconds, latencies.get(i)));
        rows.add(row);
      }
    } finally {
      subscriber.interrupt();
      job.cancel().get();
    }
    return rows;
  }

  /** Sends {@code rate} trades a second for {@code duration}, each stamped with the wall clock as it is sent. */
  private static long produce(MarketDataProducer out, SyntheticTrades source, int rate, Duration duration)
      throws Exception {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long sent = 0;
    for (long now = start; now < end; now = System.nanoTime()) {
      long due = (now - start) * rate / 1_000_000_000L;
      for (; sent < due; sent++) {
        RawTrade t = source.next();
        Instant stamp = Instant.now();
        t.setEventTime(stamp);
        t.setIngestTime(stamp);
        out.trade(t);
      }
      LockSupport.parkNanos(200_000);
    }
    return sent;
  }

  private void subscribe(String fanout, List<List<Long>> latencies) {
    try (RelaySubscriber sub = new RelaySubscriber(fanout, List.of(""))) {
      for (RelayMessage m : sub.messages()) {
        int window = measuring;
        if (window == 0 || !m.topic().endsWith("|ohlc:1m")) {
          continue;
        }
        long received = System.currentTimeMillis();
        Candle c = EventTypes.codec(Candle.class).decode(m.payload());
        if (!c.getIsFinal()) {
          latencies.get(window - 1).add(received - c.getIngestTime().toEpochMilli());
        }
      }
    }
  }

  private static Map<String, Object> row(int rate, double producedPerSecond, List<Long> measured) {
    long[] sorted;
    synchronized (measured) {
      sorted = measured.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("rate", rate);
    row.put("producedPerSecond", Math.round(producedPerSecond));
    row.put("updates", sorted.length);
    row.put("p50Ms", percentile(sorted, 0.50));
    row.put("p99Ms", percentile(sorted, 0.99));
    row.put("p999Ms", percentile(sorted, 0.999));
    row.put("maxMs", sorted.length == 0 ? null : sorted[sorted.length - 1]);
    return row;
  }

  private static Long percentile(long[] sorted, double p) {
    return sorted.length == 0 ? null : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }
}
