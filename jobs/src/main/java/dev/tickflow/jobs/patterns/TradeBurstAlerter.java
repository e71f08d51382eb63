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

/**
 * A {@code trade_burst} match as a {@link PatternAlert} (timeframe {@code tick}): at the last trade, with the
 * trades' side, count, total amount and first and last ids; the id comes from the pattern, ticker and trade ids.
 */
public final class TradeBurstAlerter extends PatternAlertFunction<Trade> {

  private static final long serialVersionUID = 1L;

  /** The timeframe alerts over trades carry. */
  public static final String TICK = "tick";

  public TradeBurstAlerter(PatternSpec spec) {
    super(spec);
  }

  @Override
  protected PatternAlert toAlert(Map<String, List<Trade>> match) {
    return alert(spec, match);
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
