package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.schemas.event.FeedHeartbeat;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The live streams of one venue for a set of markets: as many websocket connections as the venue's subscription
 * limit requires (Binance: 1024 streams each), all handing records to one listener.
 */
public final class LiveIngestor implements AutoCloseable {

  private final List<LiveFeed> feeds = new ArrayList<>();
  private final String exchangeId;

  /**
   * @param maxMarketsPerConnection 0: the venue's own limit; lower values split the markets further
   */
  public LiveIngestor(Exchange exchange, URI wsUrl, List<Market> markets, Set<Channel> channels,
      int maxMarketsPerConnection, LiveFeed.Listener listener, LiveFeed.Options options) {
    this.exchangeId = exchange.id();
    int venueLimit = exchange.streamProtocol().maxMarketsPerConnection(channels);
    int perConnection = maxMarketsPerConnection == 0 ? venueLimit : Math.min(venueLimit, maxMarketsPerConnection);
    URI url = wsUrl == null ? exchange.defaultStreamUrl() : wsUrl;
    for (int from = 0, n = 0; from < markets.size(); from += perConnection, n++) {
      List<Market> group = markets.subList(from, Math.min(markets.size(), from + perConnection));
      feeds.add(new LiveFeed(exchange.id() + "#" + n, url, exchange, group, channels, listener, options));
    }
  }

  public void start() {
    feeds.forEach(LiveFeed::start);
  }

  public List<LiveFeed> feeds() {
    return List.copyOf(feeds);
  }

  /**
   * One heartbeat per market: connected when its connection is open and, if it ever heard anything, heard from
   * within {@code idleTimeout} (the same rule that makes the feed reconnect).
   */
  public List<FeedHeartbeat> heartbeats(Instant now, String ingestorId, Duration idleTimeout) {
    List<FeedHeartbeat> beats = new ArrayList<>();
    for (LiveFeed feed : feeds) {
      LiveFeed.Status status = feed.status();
      boolean connected = status.connected() && status.lastMessageAgeMillis() < idleTimeout.toMillis();
      for (String symbol : status.symbols()) {
        int slash = symbol.indexOf('/');
        beats.add(FeedHeartbeat.newBuilder()
            .setExchange(exchangeId).setBase(symbol.substring(0, slash)).setQuote(symbol.substring(slash + 1))
            .setIngestorId(ingestorId).setConnected(connected)
            .setLastMessageAgeMillis(status.lastMessageAgeMillis())
            .setEventTime(now).setIngestTime(now)
            .build());
      }
    }
    return beats;
  }

  @Override
  public void close() {
    feeds.forEach(LiveFeed::close);
  }
}
