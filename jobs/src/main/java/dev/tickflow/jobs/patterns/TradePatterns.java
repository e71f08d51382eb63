package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The configured patterns over trades, one CEP operator per pattern, alerts unioned; null when there are none. */
public final class TradePatterns {

  private TradePatterns() {}

  /** @param trades unique trades with event-time timestamps and watermarks */
  public static DataStream<PatternAlert> addTo(DataStream<Trade> trades, List<PatternSpec> specs) {
    DataStream<PatternAlert> alerts = null;
    for (PatternSpec spec : specs) {
      if (!spec.type().overTrades()) {
        continue;
      }
      DataStream<Trade> watched = trades
          .filter(t -> spec.watches(Ticker.key(t.getExchange(), t.getBase(), t.getQuote())))
          .uid("pattern-input-" + spec.id()).name("trades for " + spec.id());
      DataStream<PatternAlert> matched = CEP.pattern(
              watched.keyBy(t -> Ticker.key(t.getExchange(), t.getBase(), t.getQuote()), Types.STRING),
              spec.tradePattern())
          .inEventTime()
          .process(new TradeBurstAlerter(spec), FlinkTypes.of(PatternAlert.class))
          .uid("pattern-" + spec.id()).name("CEP " + spec.id())
          .keyBy(OverlappingMatchFilter::tickerOf, Types.STRING)
          .process(new OverlappingMatchFilter(), FlinkTypes.of(PatternAlert.class))
          .uid("pattern-overlaps-" + spec.id()).name("non-overlapping " + spec.id());
      alerts = alerts == null ? matched : alerts.union(matched);
    }
    return alerts;
  }
}
