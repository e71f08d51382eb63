package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.CalibrationMethod;
import dev.tickflow.schemas.event.CalibrationModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fits the calibration of one regime from closed positions: (conviction at entry, won?) pairs. Platt scaling is a
 * one-variable logistic regression fitted by Newton's method with Platt's smoothed targets; isotonic regression is
 * pool-adjacent-violators over convictions sorted ascending. Both are a few dozen lines for one variable; no
 * maintained JVM library ships PAV without pulling in a whole ML stack (Smile is GPL from 3.0, Spark MLlib needs
 * Spark), so they are written here and tested against known answers.
 */
public final class CalibrationFitter {

  private CalibrationFitter() {}

  /** One closed position: the raw conviction it was opened with, and whether it made money. */
  public record Observation(double conviction, boolean won) {}

  /** Platt's a and b: p = 1 / (1 + exp(a x + b)). */
  public record Platt(double a, double b) {}

  public static Platt fitPlatt(List<Observation> data) {
    double positives = data.stream().filter(Observation::won).count();
    double negatives = data.size() - positives;
    double hi = (positives + 1) / (positives + 2);
    double lo = 1 / (negatives + 2);
    double a = 0;
    double b = Math.log((negatives + 1) / (positives + 1));
    for (int iteration = 0; iteration < 100; iteration++) {
      double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
      for (Observation o : data) {
        double t = o.won() ? hi : lo;
        double p = 1 / (1 + Math.exp(a * o.conviction() + b));
        double d = t - p; // dL/dz for z = a x + b with p = sigmoid(-z)
        double w = p * (1 - p);
        g1 += o.conviction() * d;
        g2 += d;
        h11 += o.conviction() * o.conviction() * w;
        h22 += w;
        h21 += o.conviction() * w;
      }
      double det = h11 * h22 - h21 * h21;
      if (Math.abs(det) < 1e-18) {
        break;
      }
      double da = -(h22 * g1 - h21 * g2) / det;
      double db = -(-h21 * g1 + h11 * g2) / det;
      a += da;
      b += db;
      if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new Platt(a, b);
  }

  /** Knots (x ascending, y non-decreasing) of the isotonic fit. */
  public record Isotonic(List<Double> x, List<Double> y) {}

  public static Isotonic fitIsotonic(List<Observation> data) {
    List<Observation> sorted = new ArrayList<>(data);
    sorted.sort(Comparator.comparingDouble(Observation::conviction));
    // blocks of pooled values: mean y, weight, and the x range they cover
    List<double[]> blocks = new ArrayList<>(); // {sumY, weight, xMin, xMax}
    for (Observation o : sorted) {
      blocks.add(new double[] {o.won() ? 1 : 0, 1, o.conviction(), o.conviction()});
      while (blocks.size() > 1) {
        double[] last = blocks.get(blocks.size() - 1);
        double[] prev = blocks.get(blocks.size() - 2);
        if (prev[0] / prev[1] <= last[0] / last[1]) {
          break;
        }
        prev[0] += last[0];
        prev[1] += last[1];
        prev[3] = last[3];
        blocks.remove(blocks.size() - 1);
      }
    }
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (double[] block : blocks) {
      double mean = block[0] / block[1];
      xs.add(block[2]);
      ys.add(mean);
      if (block[3] > block[2]) {
        xs.add(block[3]);
        ys.add(mean);
      }
    }
    return new Isotonic(xs, ys);
  }

  /** The model to publish for a regime: the chosen method, or the identity when there are too few outcomes. */
  public static CalibrationModel model(String regime, CalibrationMethod method, List<Observation> data,
      int minSamples, Instant fittedAt) {
    CalibrationModel.Builder b = CalibrationModel.newBuilder().setRegime(regime).setSamples(data.size())
        .setVersion(fittedAt.toEpochMilli()).setEventTime(fittedAt).setIngestTime(fittedAt)
        .setIsotonicX(List.of()).setIsotonicY(List.of());
    long wins = data.stream().filter(Observation::won).count();
    if (data.size() < minSamples || wins == 0 || wins == data.size()) {
      return b.setMethod(CalibrationMethod.IDENTITY).setNote(data.size() < minSamples
          ? data.size() + " outcomes, fewer than " + minSamples
          : "all outcomes alike (" + wins + " wins of " + data.size() + "): nothing to fit").build();
    }
    if (method == CalibrationMethod.PLATT) {
      Platt p = fitPlatt(data);
      return b.setMethod(CalibrationMethod.PLATT).setPlattA(text(p.a())).setPlattB(text(p.b()))
          .setNote(wins + " wins of " + data.size()).build();
    }
    Isotonic iso = fitIsotonic(data);
    return b.setMethod(CalibrationMethod.ISOTONIC)
        .setIsotonicX(iso.x().stream().map(CalibrationFitter::text).toList())
        .setIsotonicY(iso.y().stream().map(CalibrationFitter::text).toList())
        .setNote(wins + " wins of " + data.size()).build();
  }

  private static String text(double v) {
    return BigDecimal.valueOf(v).setScale(12, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
