package dev.tickflow.jobs.patterns;

import dev.tickflow.schemas.event.PatternAlert;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * What every pattern's CEP function does alike: one {@link PatternAlert} per match ({@code patternAlerts}), and
 * partial matches that run out of their {@code within} counted ({@code patternTimeouts}), not alerted. Subclasses
 * say how a match of their events reads as an alert.
 */
public abstract class PatternAlertFunction<T> extends PatternProcessFunction<T, PatternAlert>
    implements TimedOutPartialMatchHandler<T> {

  private static final long serialVersionUID = 1L;

  protected final PatternSpec spec;
  private transient Counter alerts;
  private transient Counter timeouts;

  protected PatternAlertFunction(PatternSpec spec) {
    this.spec = spec;
  }

  /** The alert for one match, from the events each pattern stage took. */
  protected abstract PatternAlert toAlert(Map<String, List<T>> match);

  @Override
  public void open(OpenContext openContext) {
    alerts = getRuntimeContext().getMetricGroup().counter("patternAlerts");
    timeouts = getRuntimeContext().getMetricGroup().counter("patternTimeouts");
  }

  @Override
  public void processMatch(Map<String, List<T>> match, Context ctx, Collector<PatternAlert> out) {
    out.collect(toAlert(match));
    alerts.inc();
  }

  @Override
  public void processTimedOutMatch(Map<String, List<T>> match, Context ctx) {
    timeouts.inc();
  }
}
