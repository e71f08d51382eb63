package dev.tickflow.ingestors.exchange;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The websocket dialect of one venue: where to connect, what to send to subscribe, how many streams one
 * connection may carry, and how to read a message. {@link LiveFeed} does the rest (reconnects, resubscribing,
 * liveness, gap repair) the same way for every venue.
 */
public interface StreamProtocol {

  /** The URI to open for these markets; venues that subscribe in the URL (Binance) put the streams here. */
  URI uri(URI baseUrl, List<Market> markets, Set<Channel> channels);

  /** Text frames to send after every (re)connect; empty when the URI already subscribes. */
  List<String> subscriptions(List<Market> markets, Set<Channel> channels);

  /** How many markets one connection may carry with these channels, from the venue's subscription limits. */
  int maxMarketsPerConnection(Set<Channel> channels);

  /** Reads one complete message; never throws on venue input. */
  StreamMessage read(String text, Instant ingestTime);
}
