package dev.tickflow.jobs.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of comparing an audit run with the live record: a summary per table and every difference, each with
 * the columns that differ and what it is attributed to (rules, advisor stages, risk checks).
 *
 * @param runId the audit run
 * @param settledUntil rows after this time were not compared (null: the run read no trades)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiffReport(String runId, Instant settledUntil, List<TableSummary> tables, List<Difference> differences) {

  /** How many differences the text report prints before it refers to the JSON. */
  static final int TEXT_LIMIT = 40;

  public enum Kind { CHANGED, ONLY_LIVE, ONLY_REPLAY }

  /** Counts for one table; live and replay count the rows compared on each side. */
  public record TableSummary(String table, long live, long replay, long identical, long changed, long onlyLive,
      long onlyReplay) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ColumnChange(String column, String live, String replay) {}

  /** One rule, advisor stage or risk check behind a difference, as each side saw it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attribution(String kind, String name, String live, String replay) {}

  /** One row that differs; {@code time} is its bar close or event time, ISO-8601. */
  public record Difference(String table, String key, Kind kind, String time, List<ColumnChange> columns,
      List<Attribution> attribution) {}

  public DiffReport {
    tables = List.copyOf(tables);
    differences = List.copyOf(differences);
  }

  public boolean identical() {
    return settledUntil != null && differences.isEmpty();
  }

  /** IDENTICAL, DIFFERENT, or EMPTY when the run read no trades to compare by. */
  public String result() {
    return settledUntil == null ? "EMPTY" : differences.isEmpty() ? "IDENTICAL" : "DIFFERENT";
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      return json.writeValueAsString(new Json(runId, result(), settledUntil == null ? null : settledUntil.toString(),
          tables, differences));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Json(String runId, String result, String settledUntil, List<TableSummary> tables,
      List<Difference> differences) {}

  public String toText() {
    StringBuilder s = new StringBuilder();
    if (settledUntil == null) {
      return "replay " + runId + " read no trades: nothing to compare\n";
    }
    s.append(String.format(Locale.ROOT, "replay %s vs live, rows settled until %s: %s%n", runId, settledUntil,
        identical() ? "IDENTICAL" : "DIFFERENT (" + differences.size() + " difference"
            + (differences.size() == 1 ? "" : "s") + ")"));
    s.append(String.format(Locale.ROOT, "  %-18s %8s %8s %9s %8s %9s %11s%n", "table", "live", "replay",
        "identical", "changed", "only-live", "only-replay"));
    for (TableSummary t : tables) {
      s.append(String.format(Locale.ROOT, "  %-18s %8d %8d %9d %8d %9d %11d%n", t.table(), t.live(), t.replay(),
          t.identical(), t.changed(), t.onlyLive(), t.onlyReplay()));
    }
    int shown = 0;
    for (Difference d : differences) {
      if (shown++ == TEXT_LIMIT) {
        s.append(String.format(Locale.ROOT, "  ... and %d more (--format json lists them all)%n",
            differences.size() - TEXT_LIMIT));
        break;
      }
      s.append(String.format(Locale.ROOT, "  %s %s [%s]%n", d.table(), d.kind(), d.key()));
      for (ColumnChange c : d.columns()) {
        s.append(String.format(Locale.ROOT, "      %s: %s -> %s%n", c.column(), c.live(), c.replay()));
      }
      for (Attribution a : d.attribution()) {
        s.append(a.replay() == null
            ? String.format(Locale.ROOT, "      %s %s: %s%n", a.kind(), a.name(), a.live())
            : String.format(Locale.ROOT, "      %s %s: live %s | replay %s%n", a.kind(), a.name(), a.live(),
                a.replay()));
      }
    }
    return s.toString();
  }
}
