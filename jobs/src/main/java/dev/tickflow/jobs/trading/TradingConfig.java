package dev.tickflow.jobs.trading;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tickflow.jobs.advisor.AdvisorConfig;
import dev.tickflow.jobs.advisor.DeterministicSynthesis;
import dev.tickflow.jobs.advisor.HttpSynthesisModel;
import dev.tickflow.jobs.advisor.SynthesisModel;
import dev.tickflow.jobs.paper.PaperConfig;
import dev.tickflow.jobs.risk.RiskLimits;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The decision pipeline's configuration in one place: the advisor's thresholds, the risk limits, the paper
 * venue, and an optional external synthesis model. Every field has a default; a YAML or JSON file
 * ({@code --trading FILE}, example in {@code docs/trading.example.yaml}) overrides what it names, and an unknown
 * field is an error rather than a silent no-op.
 *
 * @param synthesisUrl an external model's HTTP endpoint for the synthesis stage; null: deterministic only
 * @param synthesisTimeoutSeconds how long the advisor waits for it before falling back
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record TradingConfig(AdvisorConfig advisor, RiskLimits risk, PaperConfig paper, String synthesisUrl,
    Long synthesisTimeoutSeconds) implements Serializable {

  public TradingConfig {
    advisor = advisor == null ? AdvisorConfig.defaults() : advisor;
    risk = risk == null ? RiskLimits.defaults() : risk;
    paper = paper == null ? PaperConfig.defaults() : paper;
    synthesisUrl = synthesisUrl == null || synthesisUrl.isBlank() ? null : synthesisUrl.trim();
    synthesisTimeoutSeconds = synthesisTimeoutSeconds == null ? 5L : synthesisTimeoutSeconds;
  }

  public static TradingConfig defaults() {
    return new TradingConfig(null, null, null, null, null);
  }

  /** The file's settings over the defaults; every problem says which file and field. */
  public static TradingConfig load(Path file) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      TradingConfig c = yaml.readValue(Files.readString(file), TradingConfig.class);
      return c == null ? defaults() : c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": unknown setting '" + e.getPropertyName() + "' at "
          + e.getPathReference().replace("dev.tickflow.jobs.", "") + "; known: " + e.getKnownPropertyIds(), e);
    } catch (IOException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why = root instanceof IllegalArgumentException ? root.getMessage()
          : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      throw new IllegalArgumentException(file + ": " + why, e);
    }
  }

  /** The synthesis model the advisor uses. */
  public SynthesisModel synthesis() {
    return synthesisUrl == null ? new DeterministicSynthesis()
        : new HttpSynthesisModel(synthesisUrl, Duration.ofSeconds(synthesisTimeoutSeconds));
  }
}
