package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.schemas.event.Direction;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3: the advisor's own reading of the market, separate from the detector's rules: trend agreement (close on
 * the signal's side of its 20-bar average, weight 0.4), room to run (RSI not already stretched the signal's way:
 * below 70 for a long, above 30 for a short, weight 0.3), and participation (bar volume at least the 20-bar
 * average, weight 0.3). Score in [0, 1]; an unknown input scores nothing.
 */
public final class IndependentEvaluation {
  static final String STAGE = "independent_evaluation";
  private static final BigDecimal TREND = new BigDecimal("0.4");
  private static final BigDecimal MOMENTUM = new BigDecimal("0.3");
  private static final BigDecimal VOLUME = new BigDecimal("0.3");
  private static final BigDecimal OVERBOUGHT = BigDecimal.valueOf(70);
  private static final BigDecimal OVERSOLD = BigDecimal.valueOf(30);

  private IndependentEvaluation() {}

  /** The score; the stage result says how it was reached. */
  public record Evaluation(BigDecimal score, StageResult result) {}

  public static Evaluation evaluate(Direction direction, MarketContext m) {
    boolean longSide = direction == Direction.LONG;
    BigDecimal score = BigDecimal.ZERO;
    List<String> parts = new ArrayList<>();
    if (m.close() != null && m.sma20() != null) {
      int cmp = m.close().compareTo(m.sma20());
      boolean agrees = longSide ? cmp > 0 : cmp < 0;
      score = agrees ? score.add(TREND) : score;
      parts.add("trend " + (agrees ? "agrees" : "disagrees"));
    } else {
      parts.add("trend unknown");
    }
    if (m.rsi14() != null) {
      boolean room = longSide ? m.rsi14().compareTo(OVERBOUGHT) < 0 : m.rsi14().compareTo(OVERSOLD) > 0;
      score = room ? score.add(MOMENTUM) : score;
      parts.add("rsi " + text(m.rsi14()) + (room ? " leaves room" : " stretched"));
    } else {
      parts.add("rsi unknown");
    }
    if (m.barVolume() != null && m.averageVolume() != null) {
      boolean participation = m.barVolume().compareTo(m.averageVolume()) >= 0;
      score = participation ? score.add(VOLUME) : score;
      parts.add("volume " + (participation ? "at or above" : "below") + " average");
    } else {
      parts.add("volume average unknown");
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("direction", direction.name());
    inputs.put("close", text(m.close()));
    inputs.put("sma20", text(m.sma20()));
    inputs.put("rsi14", text(m.rsi14()));
    inputs.put("bar_volume", text(m.barVolume()));
    inputs.put("average_volume", text(m.averageVolume()));
    inputs.put("score", text(score));
    return new Evaluation(score, StageResult.pass(STAGE, "score " + text(score) + ": " + String.join(", ", parts),
        inputs));
  }
}
