package dev.tickflow.jobs.feedhealth;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.FeedHeartbeat;
import dev.tickflow.schemas.flink.FlinkTypes;
import org.apache.flink.util.OutputTag;

/**
 * What the feed of one ticker said about itself at a moment: a heartbeat (connected or not), or a gap in its
 * trades between two times and whether it was repaired. A Flink POJO: public fields, no-argument constructor.
 */
public class FeedSignal {

  /** Side output of the records on the raw topic that are not trades but what the feed said about itself. */
  public static final OutputTag<FeedSignal> TAG = new OutputTag<>("feed-signals", FlinkTypes.of(FeedSignal.class));

  public String ticker;
  /** Event time: when the heartbeat was taken, or when the gap was found. */
  public long time;
  public boolean heartbeat;
  public boolean connected;
  public long gapFrom;
  public long gapTo;
  public boolean repaired;

  public FeedSignal() {}

  public static FeedSignal of(FeedHeartbeat h) {
    FeedSignal s = new FeedSignal();
    s.ticker = Ticker.key(h.getExchange(), h.getBase(), h.getQuote());
    s.time = h.getEventTime().toEpochMilli();
    s.heartbeat = true;
    s.connected = h.getConnected();
    return s;
  }

  public static FeedSignal of(FeedGap g) {
    FeedSignal s = new FeedSignal();
    s.ticker = Ticker.key(g.getExchange(), g.getBase(), g.getQuote());
    s.time = g.getEventTime().toEpochMilli();
    s.gapFrom = g.getFromTime().toEpochMilli();
    s.gapTo = g.getToTime().toEpochMilli();
    s.repaired = g.getRepaired();
    return s;
  }

  @Override
  public String toString() {
    return heartbeat ? ticker + " heartbeat@" + time + (connected ? " connected" : " disconnected")
        : ticker + " gap " + gapFrom + ".." + gapTo + (repaired ? " repaired" : " unrepaired") + " found@" + time;
  }
}
