package dev.tickflow.jobs.advisor;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.schemas.event.CalibrationMethod;
import dev.tickflow.schemas.event.CalibrationModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 5: conviction to outcome probability, with the model fitted for the market regime ({@link
 * CalibrationFitter}, broadcast from {@code advisor.calibration}). A regime without a model, or with fewer
 * outcomes than the configured minimum, keeps the conviction as it is (identity) and says so. Platt scaling
 * evaluates the logistic in double and keeps six decimals: a probability estimate, not an amount, and the same
 * input gives the same bits on every JVM.
 */
public final class ConvictionCalibrator {
  static final String STAGE = "calibration";
  /** The model key that applies to every regime without its own. */
  public static final String ANY_REGIME = "*";

  private ConvictionCalibrator() {}

  public record Calibrated(BigDecimal probability, String method, StageResult result) {}

  public static Calibrated calibrate(BigDecimal conviction, String regime, Map<String, CalibrationModel> models,
      AdvisorConfig c) {
    CalibrationModel model = models.get(regime);
    if (model == null) {
      model = models.get(ANY_REGIME);
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("conviction", text(conviction));
    inputs.put("regime", regime);
    if (model == null || model.getMethod() == CalibrationMethod.IDENTITY
        || model.getSamples() < c.minCalibrationSamples()) {
      String why = model == null ? "no model fitted for regime " + regime
          : model.getMethod() == CalibrationMethod.IDENTITY ? "identity model for " + model.getRegime()
              + (model.getNote().isEmpty() ? "" : " (" + model.getNote() + ")")
          : "model for " + model.getRegime() + " has " + model.getSamples() + " outcomes, fewer than "
              + c.minCalibrationSamples();
      inputs.put("samples", model == null ? "0" : Long.toString(model.getSamples()));
      return new Calibrated(conviction, "identity", StageResult.pass(STAGE,
          "identity calibration: " + why + "; probability = conviction " + text(conviction), inputs));
    }
    BigDecimal p = apply(model, conviction);
    String method = model.getMethod().name().toLowerCase(java.util.Locale.ROOT) + "@" + model.getVersion();
    inputs.put("samples", Long.toString(model.getSamples()));
    inputs.put("model_regime", model.getRegime());
    inputs.put("method", method);
    return new Calibrated(p, method, StageResult.pass(STAGE, method + " (" + model.getSamples() + " outcomes, regime "
        + model.getRegime() + "): conviction " + text(conviction) + " -> probability " + text(p), inputs));
  }

  /** The model's probability for a conviction. */
  public static BigDecimal apply(CalibrationModel model, BigDecimal x) {
    return switch (model.getMethod()) {
      case PLATT -> {
        double z = Double.parseDouble(model.getPlattA()) * x.doubleValue() + Double.parseDouble(model.getPlattB());
        yield BigDecimal.valueOf(1.0 / (1.0 + Math.exp(z))).setScale(6, RoundingMode.HALF_EVEN);
      }
      case ISOTONIC -> isotonic(model.getIsotonicX(), model.getIsotonicY(), x);
      default -> x;
    };
  }

  /** Piecewise linear between knots, flat beyond the ends. */
  static BigDecimal isotonic(List<String> xs, List<String> ys, BigDecimal x) {
    int n = xs.size();
    if (n == 0) {
      return x;
    }
    BigDecimal first = new BigDecimal(xs.get(0));
    if (x.compareTo(first) <= 0) {
      return new BigDecimal(ys.get(0));
    }
    for (int i = 1; i < n; i++) {
      BigDecimal x1 = new BigDecimal(xs.get(i));
      if (x.compareTo(x1) <= 0) {
        BigDecimal x0 = new BigDecimal(xs.get(i - 1));
        BigDecimal y0 = new BigDecimal(ys.get(i - 1));
        BigDecimal y1 = new BigDecimal(ys.get(i));
        if (x1.compareTo(x0) == 0) {
          return y1;
        }
        return y0.add(y1.subtract(y0).multiply(Precision.divide(x.subtract(x0), x1.subtract(x0))), Precision.CONTEXT);
      }
    }
    return new BigDecimal(ys.get(n - 1));
  }
}
