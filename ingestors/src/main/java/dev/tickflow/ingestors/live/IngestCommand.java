package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.Venues;
import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.history.HistoryWorker;
import dev.tickflow.ingestors.kafka.MarketDataProducer;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.codec.EventJson;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import dev.tickflow.schemas.event.FeedHeartbeat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow ingest}: live trades (and quotes) from an exchange into Kafka, with metrics and health over HTTP
 * and, with {@code --work-queue}, history fetched on request.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Ingest live trades (and with --quotes, best bid/ask) from an exchange into market_data.raw "
        + "and market_data.quotes, or print them with --dry-run. Gaps in the venue's trade ids are filled over "
        + "REST and reported to market_data.gaps; dropped connections are reopened and resubscribed.",
        "Exchanges: binance, coinbase, kraken. Needs network access to the exchange (or --rest-url/--ws-url of a "
            + "stand-in).",
        "Settings: defaults < --config file (key=value, keys as the long option names) < environment "
            + "TICKFLOW_INGEST_<KEY> < flags.",
        "HTTP: /metrics (Prometheus) and /health on --metrics-port."})
public final class IngestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file with settings.")
  Path config;

  @Option(names = "--exchange", description = "binance, coinbase or kraken (default: binance).")
  String exchange;

  @Option(names = "--symbols", split = ",", paramLabel = "BASE/QUOTE",
      description = "Unified symbols, comma-separated, e.g. BTC/USDT,ETH/USDT.")
  List<String> symbols;

  @Option(names = "--quotes", arity = "0..1", description = "Also ingest best bid/ask into market_data.quotes.")
  Boolean quotes;

  @Option(names = "--trades", arity = "0..1", paramLabel = "true|false",
      description = "Ingest trades (default: true; --trades=false with --quotes for quotes only).")
  Boolean trades;

  @Option(names = "--rest-url", description = "REST base URL (default: the venue's public API).")
  String restUrl;

  @Option(names = "--ws-url", description = "Websocket base URL (default: the venue's public stream).")
  String wsUrl;

  @Option(names = "--ingestor-id", description = "Stamped on every record (default: <exchange>@<pid>).")
  String ingestorId;

  @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: localhost:9092).")
  String bootstrapServers;

  @Option(names = "--topic", description = "Raw trade topic (default: market_data.raw).")
  String topic;

  @Option(names = "--metrics-port", description = "Port of /metrics and /health; 0 any free port, -1 off (default: 9400).")
  Integer metricsPort;

  @Option(names = "--max-markets-per-connection", paramLabel = "N",
      description = "Split markets over more connections than the venue requires (default: the venue's limit).")
  Integer maxMarketsPerConnection;

  @Option(names = "--idle-timeout", description = "Reconnect when a connection is silent this long (default: 60s).")
  String idleTimeout;

  @Option(names = "--heartbeat-interval",
      description = "How often each market's feed heartbeat goes to market_data.heartbeats (default: 5s).")
  String heartbeatInterval;

  @Option(names = "--work-queue", paramLabel = "ENDPOINT",
      description = "Relay work-queue endpoint (e.g. tcp://localhost:5555) to serve history requests from.")
  String workQueue;

  @Option(names = "--relay-curve-server-key", paramLabel = "KEY",
      description = "The relay's CURVE public key, for a relay with CURVE on; needs --relay-curve-keys.")
  String relayCurveServerKey;

  @Option(names = "--relay-curve-keys", paramLabel = "FILE",
      description = "This ingestor's CURVE key pair (tickflow relay keygen); its public key must be on the relay's list.")
  String relayCurveKeys;

  @Option(names = "--dry-run", arity = "0..1", description = "Print records as JSON lines instead of producing them.")
  Boolean dryRun;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N trades.")
  Long limit;

  @Override
  public Integer call() throws Exception {
    IngestConfig cfg = resolve();
    dev.tickflow.relay.security.CurveClient relayCurve;
    try {
      relayCurve = cfg.relayCurve() == null ? null : cfg.relayCurve().load();
    } catch (RuntimeException e) { // a missing or malformed key file is the user's to fix, before anything starts
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Exchange venue = Venues.create(cfg.exchange(), cfg.restUrl(), Duration.ofSeconds(30));
    List<Market> markets = new ArrayList<>();
    for (String symbol : cfg.symbols()) {
      markets.add(venue.market(symbol));
    }
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    if (cfg.trades()) {
      channels.add(Channel.TRADES);
    }
    if (cfg.quotes()) {
      channels.add(Channel.QUOTES);
    }
    MarketDataProducer kafka = cfg.dryRun() ? null : new MarketDataProducer(new KafkaProducer<>(producerProperties(cfg)),
        cfg.topic());
    IngestMetrics metrics = new IngestMetrics();
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong count = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    LiveFeed.Listener listener = new RecordSink(cfg, kafka, metrics, out, err, done, count, failure);
    LiveIngestor ingestor = new LiveIngestor(venue, cfg.wsUrl(), markets, channels, cfg.maxMarketsPerConnection(),
        listener, new LiveFeed.Options(cfg.minBackoff(), cfg.maxBackoff(), cfg.idleTimeout(), cfg.ingestorId()));
    metrics.watch(ingestor::feeds, () -> kafka == null ? 0 : kafka.errors());
    Thread hook = new Thread(done::countDown, "ingest-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    IngestHttpServer http = null;
    HistoryWorker history = null;
    ScheduledExecutorService heartbeats = null;
    try {
      if (cfg.metricsPort() >= 0) {
        http = new IngestHttpServer(cfg.metricsPort(), metrics, ingestor::feeds,
            () -> kafka == null ? null : kafka.failure(), cfg.idleTimeout());
        err.println("ingest: metrics on http://localhost:" + http.port() + "/metrics, health on /health");
      }
      if (cfg.workQueue() != null && kafka != null) {
        history = new HistoryWorker(cfg.workQueue(), relayCurve, venue, kafka, cfg.ingestorId());
        history.start();
        err.println("ingest: serving history requests for " + venue.id() + ": from " + cfg.workQueue());
      }
      ingestor.start();
      if (kafka != null) {
        heartbeats = startHeartbeats(ingestor, kafka, cfg, failure, done);
      }
      err.println("ingest: " + cfg.symbols() + " " + channels + " from " + venue.id() + " over "
          + ingestor.feeds().size() + " connection(s) as " + cfg.ingestorId()
          + (cfg.dryRun() ? " (dry run)" : " into " + cfg.topic()));
      err.flush();
      done.await();
    } finally {
      if (heartbeats != null) {
        heartbeats.shutdownNow();
      }
      ingestor.close();
      if (history != null) {
        history.close();
      }
      if (http != null) {
        http.close();
      }
      if (kafka != null) {
        try {
          kafka.flush();
        } catch (IOException e) {
          failure.compareAndSet(null, e);
        }
        kafka.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is stopping: the hook already ran
      }
    }
    if (failure.get() != null) {
      err.println("ingest: stopped reading after " + count.get() + " trades, nothing skipped: "
          + failure.get().getMessage());
      return 1;
    }
    return 0;
  }

  /**
   * Every market's heartbeat on a fixed schedule, from its own thread, so that a quiet market still proves its
   * feed is up. A send that fails stops the ingestor like a failed trade send does.
   */
  private static ScheduledExecutorService startHeartbeats(LiveIngestor ingestor, MarketDataProducer kafka,
      IngestConfig cfg, AtomicReference<Exception> failure, CountDownLatch done) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ingest-heartbeats");
      t.setDaemon(true);
      return t;
    });
    long every = cfg.heartbeatInterval().toMillis();
    timer.scheduleAtFixedRate(() -> {
      try {
        for (FeedHeartbeat beat : ingestor.heartbeats(Instant.now(), cfg.ingestorId(), cfg.idleTimeout())) {
          kafka.heartbeat(beat);
        }
      } catch (Exception e) {
        failure.compareAndSet(null, e);
        done.countDown();
      }
    }, every, every, TimeUnit.MILLISECONDS);
    return timer;
  }

  /** Defaults, file, environment and the flags given, as one config; a bad setting is a usage error. */
  private IngestConfig resolve() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      String key = o.longestName().replaceFirst("^--", "");
      Object v = o.getValue();
      flags.put(key, v instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
          : String.valueOf(v));
    }
    Properties file = null;
    if (config != null) {
      file = new Properties();
      try (InputStream in = Files.newInputStream(config)) {
        file.load(in);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "cannot read --config " + config + ": " + e.getMessage());
      }
    }
    try {
      return IngestConfig.resolve(file, System.getenv(), flags);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Properties producerProperties(IngestConfig cfg) {
    Properties p = RawTopicOptions.producerProperties(cfg.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tickflow-ingest-" + cfg.ingestorId());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(cfg.maxBlock().toMillis()));
    return p;
  }

  /** Where the feeds' records go: Kafka (or stdout on a dry run), counted in the metrics. */
  private static final class RecordSink implements LiveFeed.Listener {
    private final IngestConfig cfg;
    private final MarketDataProducer kafka;
    private final IngestMetrics metrics;
    private final PrintWriter out;
    private final PrintWriter err;
    private final CountDownLatch done;
    private final AtomicLong count;
    private final AtomicReference<Exception> failure;

    RecordSink(IngestConfig cfg, MarketDataProducer kafka, IngestMetrics metrics, PrintWriter out, PrintWriter err,
        CountDownLatch done, AtomicLong count, AtomicReference<Exception> failure) {
      this.cfg = cfg;
      this.kafka = kafka;
      this.metrics = metrics;
      this.out = out;
      this.err = err;
      this.done = done;
      this.count = count;
      this.failure = failure;
    }

    @Override
    public void onTrade(RawTrade trade) {
      if (done.getCount() == 0) {
        return;
      }
      String ticker = MarketDataProducer.tickerKey(trade);
      if (!write(() -> kafka.trade(trade), trade)) {
        return;
      }
      metrics.trade(ticker, trade.getExchange(), trade.getEventTime(), trade.getIngestTime());
      if (cfg.limit() != null && count.incrementAndGet() >= cfg.limit()) {
        done.countDown();
      }
    }

    @Override
    public void onQuote(Quote quote) {
      if (done.getCount() > 0 && write(() -> kafka.quote(quote), quote)) {
        metrics.quote(Ticker.key(quote.getExchange(), quote.getBase(), quote.getQuote()));
      }
    }

    @Override
    public void onGap(FeedGap gap) {
      String ticker = Ticker.key(gap.getExchange(), gap.getBase(), gap.getQuote());
      metrics.gap(ticker, gap);
      err.println("ingest: gap in " + ticker + " ids " + gap.getFromTradeId() + ".." + gap.getToTradeId() + ": "
          + (gap.getRepaired() ? "repaired over REST" : "NOT repaired: " + gap.getReason()));
      err.flush();
      write(() -> kafka.gap(gap), gap);
    }

    @Override
    public void onMalformed(String message, String reason) {
      String venue = cfg.exchange().toUpperCase(java.util.Locale.ROOT);
      metrics.deadLetter(venue);
      err.println("ingest: dead letter: " + reason);
      err.flush();
      if (kafka == null) {
        return;
      }
      Instant now = Instant.now();
      write(() -> kafka.deadLetter(venue, DeadLetter.newBuilder()
          .setPayload(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8))).setReason(reason)
          .setErrorType("MALFORMED_MESSAGE").setStage("ingest-" + cfg.exchange())
          .setSourceTopic("ws:" + venue).setSourcePartition(0).setSourceOffset(-1)
          .setEventTime(now).setIngestTime(now).build()), null);
    }

    private interface Send {
      void run() throws IOException;
    }

    /** Produces (or prints); on a final failure stops the ingestor rather than skip. */
    private boolean write(Send send, Object record) {
      try {
        if (kafka == null) {
          if (record != null) {
            out.println(EventJson.toJson((org.apache.avro.specific.SpecificRecord) record));
            out.flush();
          }
        } else {
          send.run(); // blocks while the producer's buffer is full: back-pressure, not drops
        }
        return true;
      } catch (Exception e) {
        failure.compareAndSet(null, e);
        done.countDown();
        return false;
      }
    }
  }
}
