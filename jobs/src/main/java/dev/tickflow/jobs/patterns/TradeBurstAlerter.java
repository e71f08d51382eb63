package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * A {@code trade_burst} match as a {@link PatternAlert} (timeframe {@code tick}): at the last trade, with the
 * trades' side, count, total amount and first and last ids; the id comes from the pattern, ticker and trade ids.
 */
public final class TradeBurstAlerter extends PatternProcessFunction<Trade, PatternAlert>
    implements TimedOutPartialMatchHandler<Trade> {

  private static final long serialVersionUID = 1L;

  /** The timeframe alerts over trades carry. */
  public static final String TICK = "tick";

  private final PatternSpec spec;
  private transient Counter alerts;
  private transient Counter timeouts;

  public TradeBurstAlerter(PatternSpec spec) {
    this.spec = spec;
  }

  @Override
  public void open(OpenContext openContext) {
    alerts = getRuntimeContext().getMetricGroup().counter("patternAlerts");
    timeouts = getRuntimeContext().getMetricGroup().counter("patternTimeouts");
  }

  @Override
  public void processMatch(Map<String, List<Trade>> match, Context ctx, Collector<PatternAlert> out) {
    out.collect(alert(spec, match));
    alerts.inc();
  }

  @Override
  public void processTimedOutMatch(Map<String, List<Trade>> match, Context ctx) {
    timeouts.inc();
  }

  static PatternAlert alert(PatternSpec spec, Map<String, List<Trade>> match) {
    List<Trade> trades = new ArrayList<>(match.get("first"));
    trades.addAll(match.getOrDefault("more", List.of()));
    Trade first = trades.get(0);
    Trade last = trades.get(trades.size() - 1);
    BigDecimal total = trades.stream().map(Trade::getAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
    String ticker = first.getExchange() + ":" + first.getBase() + "/" + first.getQuote();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("side", first.getSide().name());
    attributes.put("trades", Integer.toString(trades.size()));
    attributes.put("total_amount", Decimals.format(total));
    attributes.put("first_trade_id", first.getTradeId());
    attributes.put("last_trade_id", last.getTradeId());
    attributes.put("millis", Long.toString(last.getEventTime().toEpochMilli() - first.getEventTime().toEpochMilli()));
    String key = spec.id() + "|" + ticker + "|" + first.getTradeId() + "|" + last.getTradeId();
    return PatternAlert.newBuilder()
        .setAlertId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
        .setExchange(first.getExchange()).setBase(first.getBase()).setQuote(first.getQuote())
        .setPattern(spec.id())
        .setTimeframe(TICK)
        .setPrice(last.getPrice())
        .setDescription(trades.size() + " " + first.getSide().name().toLowerCase(java.util.Locale.ROOT)
            + " trades of " + Decimals.format(total) + " in " + attributes.get("millis") + " ms")
        .setAttributes(attributes)
        .setEventTime(last.getEventTime())
        .setIngestTime(last.getIngestTime())
        .setSource(last.getSource())
        .build();
  }
}
