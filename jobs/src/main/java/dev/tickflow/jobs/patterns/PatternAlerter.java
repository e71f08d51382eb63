package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.PatternAlert;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a match of one {@link PatternSpec} into a {@link PatternAlert}: at the last bar's close, with what the
 * pattern saw as attributes and an id derived from the pattern, ticker and bars, so a replay gives the same ids.
 * Partial matches that run out of their {@code within} are counted ({@code patternTimeouts}), not alerted.
 */
public final class PatternAlerter extends PatternAlertFunction<Candle> {

  private static final long serialVersionUID = 1L;

  public PatternAlerter(PatternSpec spec) {
    super(spec);
  }

  @Override
  protected PatternAlert toAlert(Map<String, List<Candle>> match) {
    return alert(spec, match);
  }

  static PatternAlert alert(PatternSpec spec, Map<String, List<Candle>> match) {
    List<Candle> bars = new ArrayList<>();
    match.values().forEach(bars::addAll);
    bars.sort(java.util.Comparator.comparing(Candle::getOpenTime));
    Candle first = bars.get(0);
    Candle last = bars.get(bars.size() - 1);
    String ticker = first.getExchange() + ":" + first.getBase() + "/" + first.getQuote();
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("first_bar", first.getOpenTime().toString());
    attributes.put("last_bar", last.getOpenTime().toString());
    attributes.put("bars", Integer.toString(bars.size()));
    String description = switch (spec.type()) {
      case RISING_CLOSES_WITH_VOLUME -> {
        attributes.put("close_from", Decimals.format(first.getClose()));
        attributes.put("close_to", Decimals.format(last.getClose()));
        yield spec.bars() + " rising closes on rising volume, " + Decimals.format(first.getClose()) + " to "
            + Decimals.format(last.getClose());
      }
      case SPIKE_REVERSAL -> {
        Candle start = match.get("start").get(0);
        Candle peak = match.get("peak").get(0);
        BigDecimal pct = peak.getHigh().subtract(start.getClose()).movePointRight(2)
            .divide(start.getClose(), MathContext.DECIMAL64);
        attributes.put("start_close", Decimals.format(start.getClose()));
        attributes.put("peak_high", Decimals.format(peak.getHigh()));
        attributes.put("spike_percent", pct.stripTrailingZeros().toPlainString());
        attributes.put("reversal_close", Decimals.format(last.getClose()));
        yield "spike of " + pct.round(new MathContext(3)).toPlainString() + "% to " + Decimals.format(peak.getHigh())
            + ", then back to " + Decimals.format(last.getClose());
      }
      case CONFIRMED_BREAKOUT -> {
        BigDecimal level = match.get("range").stream().map(Candle::getHigh).max(BigDecimal::compareTo).orElseThrow();
        attributes.put("range_high", Decimals.format(level));
        yield "close above the " + spec.bars() + "-bar high " + Decimals.format(level) + ", confirmed by the next bar";
      }
      case STALE_FEED -> {
        attributes.put("silent_bars", Integer.toString(match.get("silent").size()));
        yield "no trades for " + spec.bars() + " bars of " + spec.timeframe().label() + " after "
            + match.get("traded").get(0).getOpenTime();
      }
      case TRADE_BURST -> throw new IllegalStateException("trade_burst matches trades: TradeBurstAlerter");
    };
    String key = spec.id() + "|" + ticker + "|" + spec.timeframe().label() + "|" + first.getOpenTime().toEpochMilli()
        + "|" + last.getOpenTime().toEpochMilli();
    return PatternAlert.newBuilder()
        .setAlertId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())
        .setExchange(first.getExchange()).setBase(first.getBase()).setQuote(first.getQuote())
        .setPattern(spec.id())
        .setTimeframe(spec.timeframe().label())
        .setPrice(last.getClose())
        .setDescription(description)
        .setAttributes(attributes)
        .setEventTime(last.getCloseTime())
        .setIngestTime(last.getIngestTime())
        .setSource(last.getSource())
        .build();
  }
}
