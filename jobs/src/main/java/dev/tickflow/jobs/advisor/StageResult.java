package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.StageOutcome;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one stage of the advisor (or one risk check) concluded, from which inputs. */
public record StageResult(String stage, boolean passed, String reason, Map<String, String> inputs) {

  public StageResult {
    inputs = Map.copyOf(inputs);
  }

  public static StageResult pass(String stage, String reason, Map<String, String> inputs) {
    return new StageResult(stage, true, reason, inputs);
  }

  public static StageResult block(String stage, String reason, Map<String, String> inputs) {
    return new StageResult(stage, false, reason, inputs);
  }

  public StageOutcome toOutcome() {
    return StageOutcome.newBuilder().setStage(stage).setPassed(passed).setReason(reason)
        .setInputs(new LinkedHashMap<>(new java.util.TreeMap<>(inputs))).build();
  }

  /** Exact decimal text for an input map ({@code -} for unknown). */
  public static String text(BigDecimal value) {
    return value == null ? "-" : value.stripTrailingZeros().toPlainString();
  }
}
