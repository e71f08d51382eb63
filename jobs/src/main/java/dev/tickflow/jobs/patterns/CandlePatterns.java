package dev.tickflow.jobs.patterns;

import dev.tickflow.jobs.io.NeverIdle;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Every configured pattern over the final candles it watches, one CEP operator per pattern, alerts unioned; null
 * when no pattern reads candles.
 */
public final class CandlePatterns {

  private CandlePatterns() {}

  /**
   * @param candles final candles with event-time timestamps (their close time) and watermarks: CEP orders bars by
   *     them, and a match is emitted once the watermark passes its last bar
   */
  public static DataStream<PatternAlert> addTo(DataStream<Candle> candles, List<PatternSpec> specs) {
    DataStream<PatternAlert> alerts = null;
    for (PatternSpec spec : specs) {
      if (spec.type().overTrades()) {
        continue;
      }
      String label = spec.timeframe().label();
      DataStream<Candle> watched = candles
          .filter(c -> c.getIsFinal() && c.getRevision() == 0 && c.getTimeframe().equals(label)
              && spec.watches(Ticker.key(c.getExchange(), c.getBase(), c.getQuote())))
          .uid("pattern-input-" + spec.id()).name("bars for " + spec.id());
      DataStream<PatternAlert> matched = CEP.pattern(
              watched.keyBy(c -> Ticker.key(c.getExchange(), c.getBase(), c.getQuote()), Types.STRING), spec.pattern())
          .inEventTime()
          .process(new PatternAlerter(spec), FlinkTypes.of(PatternAlert.class))
          .uid("pattern-" + spec.id()).name("CEP " + spec.id())
          .keyBy(OverlappingMatchFilter::tickerOf, Types.STRING)
          .process(new OverlappingMatchFilter(), FlinkTypes.of(PatternAlert.class))
          .uid("pattern-overlaps-" + spec.id()).name("non-overlapping " + spec.id())
          // each pattern's own channel keeps gating event time downstream, idle source or not (NeverIdle says why)
          .transform("keep " + spec.id() + " active", FlinkTypes.of(PatternAlert.class), new NeverIdle<>())
          .uid("pattern-active-" + spec.id());
      alerts = alerts == null ? matched : alerts.union(matched);
    }
    return alerts;
  }
}
