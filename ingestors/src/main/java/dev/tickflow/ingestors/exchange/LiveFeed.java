package dev.tickflow.ingestors.exchange;

import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One websocket connection to a venue carrying trades and/or quotes of some markets (CCXT's {@code watchTrades}
 * and {@code watchBookTicker}), with nothing missed and nothing invented:
 *
 * <ul>
 *   <li>Every venue tickflow reads numbers its trades consecutively per market. When an id jumps (after a
 *       reconnect, or a message the venue never sent) the missing ids are fetched over REST and handed on first,
 *       then a {@link FeedGap} says whether all of them came. Copies from the overlap after a reconnect are
 *       dropped.
 *   <li>A closed or failed connection, the venue's own periodic disconnect (Binance: 24 hours) and a connection
 *       that went quiet for {@code idleTimeout} are reopened with exponential backoff and equal jitter, and every
 *       subscription is sent again on the new connection (libraries that forget this lose streams silently).
 *   <li>Websocket pings keep idle connections open and prove the far end is alive; the JDK answers the venue's.
 *   <li>Messages are handled on one thread and the next is asked for only after the last was handled, so the
 *       listener sees each market's trades in id order and a slow listener slows the socket (TCP back-pressure)
 *       instead of growing a queue.
 * </ul>
 *
 * Impossible records ({@link TradeChecks}) and unreadable messages go to {@link Listener#onMalformed}.
 */
public final class LiveFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /** What the feed hands on, from its single thread. */
  public interface Listener {
    void onTrade(RawTrade trade);

    void onQuote(Quote quote);

    void onMalformed(String message, String reason);

    void onGap(FeedGap gap);
  }

  /** Timing of reconnects and liveness, and the id stamped on every record. */
  public record Options(Duration minBackoff, Duration maxBackoff, Duration idleTimeout, String ingestorId) {
    public static Options defaults(String ingestorId) {
      return new Options(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), ingestorId);
    }
  }

  /** Health of one connection, for the health endpoint. */
  public record Status(String name, List<String> symbols, Set<Channel> channels, boolean connected,
      long lastMessageAgeMillis, long connects) {}

  private final String name;
  private final Exchange exchange;
  private final StreamProtocol protocol;
  private final URI uri;
  private final List<String> subscriptions;
  private final Set<Channel> channels;
  private final Listener listener;
  private final Options options;
  private final Map<String, Market> markets = new LinkedHashMap<>();
  private final Map<String, Long> lastId = new HashMap<>();
  private final Map<String, Instant> lastTime = new HashMap<>();
  private final ExecutorService worker;
  private final ScheduledExecutorService timers;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong duplicatesDropped = new AtomicLong();
  private volatile WebSocket socket;
  private volatile long generation;
  private volatile long lastMessageNanos = System.nanoTime();
  private volatile boolean everHeard;
  private volatile boolean closed;
  private int failures;

  public LiveFeed(String name, URI baseUrl, Exchange exchange, List<Market> markets, Set<Channel> channels,
      Listener listener, Options options) {
    if (markets.isEmpty()) {
      throw new IllegalArgumentException("name at least one market");
    }
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("name at least one channel");
    }
    this.name = name;
    this.exchange = exchange;
    this.protocol = exchange.streamProtocol();
    this.channels = Set.copyOf(channels);
    this.listener = listener;
    this.options = options;
    markets.forEach(m -> this.markets.put(m.symbol(), m));
    this.uri = protocol.uri(baseUrl, markets, this.channels);
    this.subscriptions = protocol.subscriptions(markets, this.channels);
    this.worker = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-feed"));
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-feed-timers");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    worker.execute(this::connect);
    long tick = Math.max(50, options.idleTimeout().toMillis() / 4);
    timers.scheduleWithFixedDelay(this::keepAlive, tick, tick, TimeUnit.MILLISECONDS);
  }

  public String name() {
    return name;
  }

  public URI uri() {
    return uri;
  }

  /** Connections opened so far: 1 + reconnects. */
  public long connects() {
    return connects.get();
  }

  public long duplicatesDropped() {
    return duplicatesDropped.get();
  }

  public Status status() {
    long age = everHeard ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastMessageNanos) : -1;
    return new Status(name, List.copyOf(markets.keySet()), channels, socket != null, age, connects.get());
  }

  private void connect() {
    if (closed) {
      return;
    }
    long gen = ++generation;
    try {
      WebSocket ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(uri, new Frames(gen)).get(15, TimeUnit.SECONDS);
      for (String subscription : subscriptions) {
        ws.sendText(subscription, true).get(10, TimeUnit.SECONDS);
      }
      socket = ws;
      lastMessageNanos = System.nanoTime();
      connects.incrementAndGet();
      failures = 0;
      LOG.info("{}: connected to {} ({} markets, {}, {} subscription frames)", name, uri, markets.size(), channels,
          subscriptions.size());
    } catch (Exception e) {
      reconnectLater(gen, "connect failed: " + e);
    }
  }

  private void reconnectLater(long gen, String why) {
    if (closed || gen != generation) {
      return; // a newer connection exists already, or we are stopping
    }
    generation++; // whatever the old connection still says is ignored
    WebSocket old = socket;
    socket = null;
    if (old != null) {
      old.abort();
    }
    failures++;
    long base = Math.min(options.maxBackoff().toMillis(), options.minBackoff().toMillis() << Math.min(failures - 1, 20));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1); // "equal jitter"
    LOG.warn("{}: {}; reconnecting in {} ms", name, why, delay);
    timers.schedule(() -> worker.execute(this::connect), delay, TimeUnit.MILLISECONDS);
  }

  /** Pings an idle connection and drops one that stayed silent for the idle timeout. */
  private void keepAlive() {
    WebSocket ws = socket;
    if (ws == null || closed) {
      return;
    }
    long silent = System.nanoTime() - lastMessageNanos;
    if (silent > options.idleTimeout().toNanos()) {
      long gen = generation;
      worker.execute(() -> reconnectLater(gen, "no message or pong for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms"));
    } else if (silent > options.idleTimeout().toNanos() / 3) {
      ws.sendPing(ByteBuffer.allocate(0));
    }
  }

  private void handle(String text) {
    Instant now = Instant.now();
    StreamMessage message = protocol.read(text, now);
    if (message instanceof StreamMessage.Trades t) {
      t.trades().forEach(trade -> onTrade(text, trade, now));
    } else if (message instanceof StreamMessage.Quotes q) {
      q.quotes().forEach(quote -> onQuote(text, quote, now));
    } else if (message instanceof StreamMessage.Malformed m) {
      listener.onMalformed(text, m.reason());
    } else if (message instanceof StreamMessage.VenueError e) {
      LOG.warn("{}: the venue reports an error: {}", name, e.reason());
    } else if (message instanceof StreamMessage.Control c) {
      LOG.debug("{}: {}", name, c.what());
    }
  }

  private void onQuote(String text, Quote quote, Instant now) {
    String problem = TradeChecks.problem(quote, now);
    if (problem != null) {
      listener.onMalformed(text, problem);
      return;
    }
    quote.setIngestorId(options.ingestorId());
    listener.onQuote(quote);
  }

  private void onTrade(String text, RawTrade trade, Instant now) {
    String symbol = trade.getSymbol();
    Market market = markets.get(symbol);
    if (market == null) {
      listener.onMalformed(text, "trade of " + symbol + ", which this connection did not subscribe to");
      return;
    }
    String problem = TradeChecks.problem(trade, now);
    if (problem != null) {
      listener.onMalformed(text, problem);
      return;
    }
    long id;
    try {
      id = Long.parseLong(trade.getTradeId());
    } catch (NumberFormatException e) {
      listener.onMalformed(text, "trade id '" + trade.getTradeId() + "' is not an integer");
      return;
    }
    Long last = lastId.get(symbol);
    if (last != null && id <= last) {
      duplicatesDropped.incrementAndGet();
      return;
    }
    if (last != null && id > last + 1) {
      repair(market, last + 1, id - 1, lastTime.get(symbol), trade.getEventTime(), now);
    }
    hand(trade);
    lastId.put(symbol, id);
    lastTime.put(symbol, trade.getEventTime());
  }

  private void hand(RawTrade trade) {
    trade.setIngestorId(options.ingestorId());
    listener.onTrade(trade);
  }

  private void repair(Market m, long fromId, long toId, Instant before, Instant after, Instant now) {
    long[] recovered = {0};
    String reason = "ids " + fromId + ".." + toId + " did not arrive live";
    try {
      exchange.fetchTradesByIds(m.symbol(), fromId, toId, before, t -> {
        String problem = TradeChecks.problem(t, now);
        if (problem != null) {
          listener.onMalformed(t.toString(), "REST backfill: " + problem);
          return;
        }
        hand(t);
        recovered[0]++;
      });
    } catch (ExchangeException e) {
      reason += "; REST backfill failed: " + e.getMessage();
    }
    long missing = toId - fromId + 1;
    boolean repaired = recovered[0] == missing;
    if (!repaired && recovered[0] < missing) {
      reason += "; REST returned " + recovered[0] + " of " + missing;
    }
    LOG.warn("{}: gap in {} {}: {}", name, m.symbol(), repaired ? "repaired" : "NOT repaired", reason);
    listener.onGap(FeedGap.newBuilder()
        .setExchange(exchange.id()).setBase(m.base()).setQuote(m.quote())
        .setFromTradeId(Long.toString(fromId)).setToTradeId(Long.toString(toId))
        .setFromTime(before).setToTime(after)
        .setMissing(missing).setRecovered(recovered[0]).setRepaired(repaired).setReason(reason)
        .setIngestorId(options.ingestorId()).setEventTime(now).setIngestTime(Instant.now())
        .build());
  }

  @Override
  public void close() {
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    timers.shutdownNow();
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Assembles text frames into messages and hands each to the worker; ignores a superseded connection. */
  private final class Frames implements WebSocket.Listener {
    private final long gen;
    private final StringBuilder partial = new StringBuilder();

    Frames(long gen) {
      this.gen = gen;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      lastMessageNanos = System.nanoTime();
      everHeard = true;
      partial.append(data);
      if (!last) {
        ws.request(1);
        return null;
      }
      String message = partial.toString();
      partial.setLength(0);
      worker.execute(() -> {
        try {
          if (gen == generation) {
            handle(message);
          }
        } finally {
          ws.request(1);
        }
      });
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
      lastMessageNanos = System.nanoTime();
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      worker.execute(() -> reconnectLater(gen, "closed by the venue (" + statusCode + " " + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      worker.execute(() -> reconnectLater(gen, "connection failed: " + error));
    }
  }
}
