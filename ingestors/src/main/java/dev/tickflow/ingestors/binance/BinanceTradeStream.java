package dev.tickflow.ingestors.binance;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.exchange.ExchangeException;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.RawTrade;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live aggregate trades of some Binance markets over one websocket (CCXT's {@code watchTrades}), with nothing
 * missed: Binance numbers aggregate trades consecutively per market, so when an id jumps (after a reconnect, or a
 * message the venue never sent) the missing ids are fetched over REST and handed on first, and the gap is
 * reported with whether it was repaired. Copies from the overlap after a reconnect are dropped.
 *
 * <p>The markets are part of the combined-stream URL, so a reconnect subscribes to every stream again by
 * construction (libraries that re-send SUBSCRIBE frames after reconnecting are known to lose streams). A closed
 * or failed connection, including Binance's own disconnect after 24 hours, is reopened with exponential backoff
 * and jitter. Messages are handled on one thread, so the listener sees each market's trades in id order.
 */
public final class BinanceTradeStream implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BinanceTradeStream.class);
  public static final String DEFAULT_WS_URL = "wss://stream.binance.com:9443";

  /** What the stream hands on. Called from the stream's single thread. */
  public interface Listener {
    void onTrade(RawTrade trade);

    void onMalformed(String message, String reason);

    void onGap(FeedGap gap);
  }

  /** Ids {@code [fromId, toId]} of a ticker did not arrive live; {@code repaired} if REST delivered all of them. */
  public record FeedGap(String ticker, long fromId, long toId, long recovered, boolean repaired, String reason) {}

  private final URI streamUri;
  private final BinanceExchange rest;
  private final Listener listener;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Map<String, BinanceStreamMessages> parsers = new HashMap<>();
  private final Map<String, Market> marketsById = new HashMap<>();
  private final Map<String, Long> lastId = new HashMap<>();
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "binance-stream"));
  private final ScheduledExecutorService backoff = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "binance-stream-backoff");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong duplicatesDropped = new AtomicLong();
  private volatile WebSocket socket;
  private volatile boolean closed;
  private int failures;

  public BinanceTradeStream(URI wsBaseUrl, BinanceExchange rest, List<Market> markets, Listener listener,
      Duration minBackoff, Duration maxBackoff) {
    if (markets.isEmpty()) {
      throw new IllegalArgumentException("name at least one market");
    }
    this.rest = rest;
    this.listener = listener;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    StringBuilder streams = new StringBuilder();
    for (Market m : markets) {
      String id = m.id().toUpperCase(Locale.ROOT);
      marketsById.put(id, m);
      parsers.put(id, new BinanceStreamMessages(Ticker.of("BINANCE", m.base(), m.quote())));
      streams.append(streams.length() == 0 ? "" : "/").append(id.toLowerCase(Locale.ROOT)).append("@aggTrade");
    }
    this.streamUri = wsBaseUrl.resolve("/stream?streams=" + streams);
  }

  public void start() {
    worker.execute(this::connect);
  }

  /** Connections opened so far: 1 + reconnects. */
  public long connects() {
    return connects.get();
  }

  public long duplicatesDropped() {
    return duplicatesDropped.get();
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(streamUri, new Frames()).get(15, TimeUnit.SECONDS);
      connects.incrementAndGet();
      failures = 0;
      LOG.info("connected to {}", streamUri);
    } catch (Exception e) {
      reconnectLater("connect failed: " + e);
    }
  }

  private void reconnectLater(String why) {
    if (closed) {
      return;
    }
    failures++;
    long base = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(failures - 1, 20));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1); // "equal jitter"
    LOG.warn("binance stream: {}; reconnecting in {} ms", why, delay);
    backoff.schedule(() -> worker.execute(this::connect), delay, TimeUnit.MILLISECONDS);
  }

  private void handle(String message) {
    String symbol = symbolOf(message);
    BinanceStreamMessages parser = symbol == null ? null : parsers.get(symbol);
    if (parser == null) {
      if (!message.contains("\"result\"")) {
        listener.onMalformed(message, "no subscribed market in message");
      }
      return;
    }
    ReadResult result = parser.read(message, 0, Instant.now());
    if (result instanceof ReadResult.Malformed bad) {
      listener.onMalformed(message, bad.reason());
      return;
    }
    if (!(result instanceof ReadResult.Parsed parsed)) {
      return;
    }
    RawTrade trade = parsed.trade();
    long id = Long.parseLong(trade.getTradeId());
    Long last = lastId.get(symbol);
    if (last != null && id <= last) {
      duplicatesDropped.incrementAndGet();
      return;
    }
    if (last != null && id > last + 1) {
      repair(symbol, last + 1, id - 1);
    }
    listener.onTrade(trade);
    lastId.put(symbol, id);
  }

  private void repair(String symbol, long fromId, long toId) {
    Market m = marketsById.get(symbol);
    String ticker = Ticker.key("BINANCE", m.base(), m.quote());
    long[] recovered = {0};
    String reason = "ids " + fromId + ".." + toId + " did not arrive live";
    try {
      rest.fetchTradesByIds(m.symbol(), fromId, toId, t -> {
        listener.onTrade(t);
        recovered[0]++;
      });
    } catch (ExchangeException e) {
      reason += "; REST backfill failed: " + e.getMessage();
    }
    long expected = toId - fromId + 1;
    listener.onGap(new FeedGap(ticker, fromId, toId, recovered[0], recovered[0] == expected, reason));
  }

  /** The market id ("s") of a message, cheaply, to pick the parser; null if there is none. */
  private static String symbolOf(String message) {
    int i = message.indexOf("\"s\":\"");
    if (i < 0) {
      return null;
    }
    int end = message.indexOf('"', i + 5);
    return end < 0 ? null : message.substring(i + 5, end).toUpperCase(Locale.ROOT);
  }

  @Override
  public void close() {
    closed = true;
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
    backoff.shutdownNow();
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Assembles text frames into messages and hands them to the single worker thread. The next message is asked
   * for only after this one was handled, so a slow consumer (a producer whose buffer is full) slows the socket
   * down instead of growing a queue: back-pressure reaches TCP.
   */
  private final class Frames implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        worker.execute(() -> {
          try {
            handle(message);
          } finally {
            ws.request(1);
          }
        });
      } else {
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      worker.execute(() -> reconnectLater("closed by the venue (" + statusCode + " " + reason + ")"));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      worker.execute(() -> reconnectLater("connection failed: " + error));
    }
  }
}
