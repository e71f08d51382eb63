package dev.tickflow.ingestors.testing;

import dev.tickflow.ingestors.exchange.LiveFeed;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RawTrade;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything a feed hands on, for assertions. */
public final class RecordingListener implements LiveFeed.Listener {

  public final List<RawTrade> trades = new CopyOnWriteArrayList<>();
  public final List<Quote> quotes = new CopyOnWriteArrayList<>();
  public final List<FeedGap> gaps = new CopyOnWriteArrayList<>();
  public final List<String> malformed = new CopyOnWriteArrayList<>();

  @Override
  public void onTrade(RawTrade trade) {
    trades.add(trade);
  }

  @Override
  public void onQuote(Quote quote) {
    quotes.add(quote);
  }

  @Override
  public void onMalformed(String message, String reason) {
    malformed.add(reason);
  }

  @Override
  public void onGap(FeedGap gap) {
    gaps.add(gap);
  }
}
