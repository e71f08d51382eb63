package dev.tickflow.jobs.detector;

import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detector instances over candles in a plain loop, outside Flink: the evaluation {@link DetectorEngine} runs, for
 * backtests and for checking what a job should have emitted. An instance that fails on a ticker stops there, as
 * the engine pauses it.
 */
public final class DetectorRun {

  private DetectorRun() {}

  /** Signals of {@code configs} over final {@code candles} taken in order, as the engine emits them per bar. */
  public static List<Signal> signals(List<DetectorConfig> configs, Iterable<Candle> candles) {
    return signals(configs, candles, List.of());
  }

  /**
   * The same, with the CEP {@code alerts} {@code pattern} rules look at (all of them known when a bar is judged,
   * as in the engine, which judges such instances once the watermark passed the bar).
   */
  public static List<Signal> signals(List<DetectorConfig> configs, Iterable<Candle> candles,
      List<PatternAlert> alerts) {
    List<DetectorConfig> byId = new ArrayList<>(configs);
    byId.sort(java.util.Comparator.comparing(DetectorConfig::id));
    Map<String, DetectorState> states = new HashMap<>();
    List<Signal> out = new ArrayList<>();
    for (Candle candle : candles) {
      if (!candle.getIsFinal()) {
        continue;
      }
      String ticker = Ticker.key(candle.getExchange(), candle.getBase(), candle.getQuote());
      for (DetectorConfig config : byId) {
        if (!config.watches(ticker) || !config.timeframe().label().equals(candle.getTimeframe())) {
          continue;
        }
        DetectorState state = states.computeIfAbsent(config.id() + "|" + ticker + "|" + candle.getTimeframe(),
            k -> DetectorState.fresh(config));
        if (state.pausedReason != null) {
          continue;
        }
        String tf = candle.getTimeframe();
        PatternMatches matches = (pattern, from, to) -> alerts.stream().anyMatch(a -> a.getPattern().equals(pattern)
            && a.getTimeframe().equals(tf) && Ticker.key(a.getExchange(), a.getBase(), a.getQuote()).equals(ticker)
            && a.getEventTime().toEpochMilli() > from && a.getEventTime().toEpochMilli() <= to);
        try {
          Optional<Signal> s = DetectorEvaluator.evaluate(config, state, candle, matches);
          s.ifPresent(out::add);
        } catch (RuntimeException e) {
          state.pausedReason = e.toString();
        }
      }
    }
    return out;
  }
}
