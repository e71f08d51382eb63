package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.Trade;

/**
 * What the advisor reads on its keyed side: a signal to decide on, or market data (a final candle, a trade, a
 * quote) that builds the context. Exactly one field is set. A Flink POJO: public fields, no-argument constructor.
 */
public class AdvisorInput {

  public Signal signal;
  public Candle candle;
  public Trade trade;
  public Quote quote;

  public AdvisorInput() {}

  public static AdvisorInput of(Signal s) {
    AdvisorInput in = new AdvisorInput();
    in.signal = s;
    return in;
  }

  public static AdvisorInput of(Candle c) {
    AdvisorInput in = new AdvisorInput();
    in.candle = c;
    return in;
  }

  public static AdvisorInput of(Trade t) {
    AdvisorInput in = new AdvisorInput();
    in.trade = t;
    return in;
  }

  public static AdvisorInput of(Quote q) {
    AdvisorInput in = new AdvisorInput();
    in.quote = q;
    return in;
  }

  /** The ticker: how the advisor is keyed. */
  public String ticker() {
    if (signal != null) {
      return Ticker.key(signal.getExchange(), signal.getBase(), signal.getQuote());
    }
    if (candle != null) {
      return Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote());
    }
    if (trade != null) {
      return Ticker.key(trade.getExchange(), trade.getBase(), trade.getQuote());
    }
    return Ticker.key(quote.getExchange(), quote.getBase(), quote.getQuote());
  }

  /** Event time: a candle's close (when its bar became known), otherwise the event's own time. */
  public long time() {
    if (signal != null) {
      return signal.getEventTime().toEpochMilli();
    }
    if (candle != null) {
      return candle.getCloseTime().toEpochMilli();
    }
    return trade != null ? trade.getEventTime().toEpochMilli() : quote.getEventTime().toEpochMilli();
  }

  /** Order among inputs of the same millisecond: the market first (bars, then book, then trades), signals last. */
  int rank() {
    return candle != null ? 0 : quote != null ? 1 : trade != null ? 2 : 3;
  }
}
