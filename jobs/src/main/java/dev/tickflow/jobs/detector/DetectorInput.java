package dev.tickflow.jobs.detector;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.PatternAlert;

/**
 * What the detector engine reads on its keyed side: a final candle, or a CEP alert that {@code pattern} rules may
 * ask about. One of the two is set. A Flink POJO: public fields, no-argument constructor.
 */
public class DetectorInput {

  public Candle candle;
  public PatternAlert alert;

  public DetectorInput() {}

  public static DetectorInput of(Candle candle) {
    DetectorInput in = new DetectorInput();
    in.candle = candle;
    return in;
  }

  public static DetectorInput of(PatternAlert alert) {
    DetectorInput in = new DetectorInput();
    in.alert = alert;
    return in;
  }

  /** {@code EXCHANGE:BASE/QUOTE|timeframe}: how the engine is keyed. */
  public String key() {
    return candle != null
        ? Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote()) + "|" + candle.getTimeframe()
        : Ticker.key(alert.getExchange(), alert.getBase(), alert.getQuote()) + "|" + alert.getTimeframe();
  }
}
