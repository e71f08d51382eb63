package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.exchange.Channel;
import dev.tickflow.ingestors.exchange.Exchange;
import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.ingestors.exchange.Market;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The live streams of one venue for a set of markets: as many websocket connections as the venue's subscription
 * limit requires (Binance: 1024 streams each), all handing records to one listener.
 */
public final class LiveIngestor implements AutoCloseable {

  private final List<LiveFeed> feeds = new ArrayList<>();

  /**
   * @param maxMarketsPerConnection 0: the venue's own limit; lower values split the markets further
   */
  public LiveIngestor(Exchange exchange, URI wsUrl, List<Market> markets, Set<Channel> channels,
      int maxMarketsPerConnection, LiveFeed.Listener listener, LiveFeed.Options options) {
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

  @Override
  public void close() {
    feeds.forEach(LiveFeed::close);
  }
}
