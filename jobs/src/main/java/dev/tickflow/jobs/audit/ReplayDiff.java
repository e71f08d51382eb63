package dev.tickflow.jobs.audit;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.SignalTables;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.TradingTables;
import dev.tickflow.jobs.audit.DiffReport.Attribution;
import dev.tickflow.jobs.audit.DiffReport.ColumnChange;
import dev.tickflow.jobs.audit.DiffReport.Difference;
import dev.tickflow.jobs.audit.DiffReport.Kind;
import dev.tickflow.jobs.audit.DiffReport.TableSummary;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.io.RunScope.OffsetRange;
import dev.tickflow.jobs.lake.RowEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Compares what an audit run wrote with what the live pipeline recorded for the same input, table by table: candles,
 * signals, advisor decisions, risk verdicts and fills. The live rows in question are found by their Kafka
 * provenance (every row names the raw records it was computed from), the run's rows are in its own namespace; rows
 * pair up by their natural key. Only settled rows are compared: the live job holds the newest bars and decisions
 * until later data passes them, while a bounded run flushes everything at its end.
 *
 * <p>A differing signal is attributed to the rules whose contribution differs; a differing decision to the first
 * advisor stage whose outcome differs; a differing verdict to the risk checks that differ.
 */
public final class ReplayDiff {

  /** What is compared, in pipeline order, and how its rows pair up. */
  enum Compared {
    CANDLES(MarketTables.OHLC, "close_time", null, r -> r.getField("ticker") + " " + r.getField("timeframe") + " "
        + RowEvents.instant(r.getField("open_time"))),
    SIGNALS(SignalTables.SIGNALS, "event_time", "rules", r -> r.getField("detector_id") + " " + r.getField("ticker")
        + " " + r.getField("timeframe") + " " + RowEvents.instant(r.getField("event_time")) + " "
        + r.getField("direction")),
    DECISIONS(TradingTables.DECISIONS, "event_time", "stages", r -> String.valueOf(r.getField("decision_id"))),
    VERDICTS(TradingTables.VERDICTS, "event_time", "checks", r -> String.valueOf(r.getField("verdict_id"))),
    FILLS(TradingTables.FILLS, "event_time", null, r -> String.valueOf(r.getField("fill_id")));

    final TableDefinition table;
    final String settledBy;
    /** The list column the attribution explains element by element. */
    final String explainedBy;
    final Function<Record, String> key;

    Compared(TableDefinition table, String settledBy, String explainedBy, Function<Record, String> key) {
      this.table = table;
      this.settledBy = settledBy;
      this.explainedBy = explainedBy;
      this.key = key;
    }
  }

  /** Columns that say where or when a row was written, not what it says. */
  private static final Set<String> NOT_COMPARED = Set.of();

  private final Catalog catalog;

  public ReplayDiff(Catalog catalog) {
    this.catalog = catalog;
  }

  /**
   * Compares the run {@code scope} over {@code range} with the live tables; rows whose time is after the last
   * replayed trade minus {@code settle} are left out on both sides.
   */
  public DiffReport compare(RunScope scope, ReplayRange range, Duration settle) {
    Instant[] span = tradeSpan(scope);
    if (span == null) {
      return new DiffReport(scope.runId(), null, List.of(), List.of());
    }
    return compare(scope, r -> inRange(r, range), span[0], span[1].minus(settle), EnumSet.allOf(Compared.class));
  }

  /**
   * Compares a backtest's signals, decisions, verdicts and fills with the live ones of {@code tickers} (all when
   * empty) with event times in {@code [from, horizon]}. Candles are its input, not its output: not compared.
   */
  public DiffReport compareBacktest(RunScope scope, Set<String> tickers, Instant from, Instant horizon) {
    Predicate<Record> inScope = r -> (tickers.isEmpty() || tickers.contains((String) r.getField("ticker")))
        && !RowEvents.instant(r.getField("event_time")).isBefore(from);
    return compare(scope, inScope, from, horizon,
        EnumSet.of(Compared.SIGNALS, Compared.DECISIONS, Compared.VERDICTS, Compared.FILLS));
  }

  /**
   * Compares the run's {@code tables} with the live ones over the rows {@code inScope} picks (on either side),
   * each with the same-key row of the other side, for times in {@code [from - 2 days, horizon]}.
   */
  DiffReport compare(RunScope scope, Predicate<Record> inScope, Instant from, Instant horizon,
      Set<Compared> tables) {
    Instant[] span = {from, horizon};
    List<TableSummary> summaries = new ArrayList<>();
    List<Difference> differences = new ArrayList<>();
    for (Compared c : tables) {
      Map<String, Record> replay = rows(scope.table(c.table), c, span, horizon);
      Map<String, Record> live = rows(c.table, c, span, horizon);
      Set<String> keys = new TreeSet<>();
      replay.forEach((k, r) -> {
        if (inScope.test(r) || live.containsKey(k)) {
          keys.add(k);
        }
      });
      live.forEach((k, r) -> {
        if (inScope.test(r)) {
          keys.add(k);
        }
      });
      long same = 0;
      long changed = 0;
      long onlyLive = 0;
      long onlyReplay = 0;
      for (String k : keys) {
        Record l = live.get(k);
        Record r = replay.get(k);
        String name = c.table.identifier().toString();
        if (l == null) {
          onlyReplay++;
          differences.add(new Difference(name, k, Kind.ONLY_REPLAY, time(r, c), List.of(), attributeOne(c, r)));
        } else if (r == null) {
          onlyLive++;
          differences.add(new Difference(name, k, Kind.ONLY_LIVE, time(l, c), List.of(), attributeOne(c, l)));
        } else {
          List<ColumnChange> all = columnChanges(l, r);
          if (all.isEmpty()) {
            same++;
          } else {
            changed++;
            // the list the attribution explains is left out of the columns: the attribution says it field by field
            List<ColumnChange> columns = all.stream().filter(x -> !x.column().equals(c.explainedBy)).toList();
            differences.add(new Difference(name, k, Kind.CHANGED, time(l, c), columns, attribute(c, l, r)));
          }
        }
      }
      summaries.add(new TableSummary(c.table.identifier().toString(), same + changed + onlyLive,
          same + changed + onlyReplay, same, changed, onlyLive, onlyReplay));
    }
    return new DiffReport(scope.runId(), horizon, summaries, differences);
  }

  /** First and last trade time the run read, from its own trades table. */
  Instant[] tradeSpan(RunScope scope) {
    Table trades = catalog.loadTable(scope.table(MarketTables.TRADES).identifier());
    Instant first = null;
    Instant last = null;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(trades).select("event_time").build()) {
      for (Record r : rows) {
        Instant t = RowEvents.instant(r.getField("event_time"));
        first = first == null || t.isBefore(first) ? t : first;
        last = last == null || t.isAfter(last) ? t : last;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return first == null ? null : new Instant[] {first, last};
  }

  /** Settled rows by key; for a table whose rows are revised (candles), the latest revision wins. */
  private Map<String, Record> rows(TableDefinition definition, Compared c, Instant[] span, Instant horizon) {
    Table table = catalog.loadTable(definition.identifier());
    Map<String, Record> rows = new TreeMap<>();
    // a day either side of the run's trades covers every bar and decision they could have made
    try (CloseableIterable<Record> scan = IcebergGenerics.read(table)
        .where(Expressions.and(
            Expressions.greaterThanOrEqual("event_time", RowEvents.micros(span[0].minus(Duration.ofDays(2)))),
            Expressions.lessThanOrEqual("event_time", RowEvents.micros(horizon.plus(Duration.ofDays(1))))))
        .build()) {
      for (Record r : scan) {
        if (RowEvents.instant(r.getField(c.settledBy)).isAfter(horizon)) {
          continue;
        }
        Record copy = r.copy();
        rows.merge(c.key.apply(copy), copy, (a, b) -> revision(b) >= revision(a) ? b : a);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static int revision(Record r) {
    return r.struct().field("revision") == null ? 0 : (Integer) r.getField("revision");
  }

  /** Whether the row was computed from records inside the replayed range, by its Kafka provenance. */
  static boolean inRange(Record r, ReplayRange range) {
    if (!range.topic().equals(r.getField("src_topic"))) {
      return false;
    }
    OffsetRange o = range.partitions().get((Integer) r.getField("src_partition"));
    return o != null && (Long) r.getField("src_from_offset") >= o.from() && (Long) r.getField("src_to_offset") < o.to();
  }

  private static List<ColumnChange> columnChanges(Record live, Record replay) {
    List<ColumnChange> changes = new ArrayList<>();
    for (NestedField f : live.struct().fields()) {
      if (NOT_COMPARED.contains(f.name())) {
        continue;
      }
      Object a = live.getField(f.name());
      Object b = replay.struct().field(f.name()) == null ? null : replay.getField(f.name());
      if (!same(a, b)) {
        changes.add(new ColumnChange(f.name(), text(a), text(b)));
      }
    }
    return changes;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    return Objects.equals(a, b);
  }

  private static List<Attribution> attribute(Compared c, Record live, Record replay) {
    return switch (c) {
      case SIGNALS -> byName(live, replay, "rules", "rule");
      case DECISIONS -> firstOnly(byName(live, replay, "stages", "stage"));
      case VERDICTS -> byName(live, replay, "checks", "stage");
      default -> List.of();
    };
  }

  /** For a row on one side only: what made it (the rules that fired, the stage that ended the decision). */
  private static List<Attribution> attributeOne(Compared c, Record row) {
    List<Attribution> out = new ArrayList<>();
    if (c == Compared.SIGNALS) {
      for (Record rule : elements(row, "rules")) {
        if (Boolean.TRUE.equals(rule.getField("fired"))) {
          out.add(new Attribution("rule", (String) rule.getField("rule"), "fired, weight "
              + text(rule.getField("weight")), null));
        }
      }
    } else if (c == Compared.DECISIONS || c == Compared.VERDICTS) {
      for (Record stage : elements(row, c == Compared.DECISIONS ? "stages" : "checks")) {
        if (!Boolean.TRUE.equals(stage.getField("passed"))) {
          out.add(new Attribution(c == Compared.DECISIONS ? "stage" : "check", (String) stage.getField("stage"),
              "did not pass: " + stage.getField("reason"), null));
        }
      }
    }
    return out;
  }

  /** Elements of a list of structs, by their {@code name} field, whose content differs between the sides. */
  private static List<Attribution> byName(Record live, Record replay, String list, String name) {
    String kind = "rules".equals(list) ? "rule" : "stages".equals(list) ? "stage" : "check";
    Map<String, Record> a = byField(elements(live, list), name);
    Map<String, Record> b = byField(elements(replay, list), name);
    Set<String> names = new java.util.LinkedHashSet<>(a.keySet());
    names.addAll(b.keySet());
    List<Attribution> out = new ArrayList<>();
    for (String n : names) {
      Record x = a.get(n);
      Record y = b.get(n);
      if (x == null || y == null) {
        out.add(new Attribution(kind, n, x == null ? "absent" : describe(x), y == null ? "absent" : describe(y)));
      } else {
        List<ColumnChange> fields = columnChanges(x, y);
        if (!fields.isEmpty()) {
          out.add(new Attribution(kind, n, fieldsOf(fields, true), fieldsOf(fields, false)));
        }
      }
    }
    return out;
  }

  /** {@code weight=2 score=2}: the fields that differ, as one side has them. */
  private static String fieldsOf(List<ColumnChange> fields, boolean live) {
    StringBuilder s = new StringBuilder();
    for (ColumnChange f : fields) {
      s.append(s.isEmpty() ? "" : " ").append(f.column()).append('=').append(live ? f.live() : f.replay());
    }
    return s.toString();
  }

  private static List<Attribution> firstOnly(List<Attribution> all) {
    return all.isEmpty() ? all : List.of(all.get(0));
  }

  @SuppressWarnings("unchecked")
  private static List<Record> elements(Record row, String list) {
    Object v = row.struct().field(list) == null ? null : row.getField(list);
    return v == null ? List.of() : (List<Record>) v;
  }

  private static Map<String, Record> byField(List<Record> elements, String name) {
    Map<String, Record> out = new LinkedHashMap<>();
    for (Record e : elements) {
      out.put(String.valueOf(e.getField(name)), e);
    }
    return out;
  }

  /** {@code fired=true weight=0.5 score=0.5 detail=...}, one struct as text. */
  private static String describe(Record struct) {
    StringBuilder s = new StringBuilder();
    for (NestedField f : struct.struct().fields()) {
      Object v = struct.getField(f.name());
      if (v != null && !"rule".equals(f.name()) && !"stage".equals(f.name())) {
        s.append(s.isEmpty() ? "" : " ").append(f.name()).append('=').append(text(v));
      }
    }
    return s.toString();
  }

  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }
    if (v instanceof OffsetDateTime || v instanceof LocalDateTime) {
      return RowEvents.instant(v).toString();
    }
    if (v instanceof Record r) {
      return "{" + describe(r) + "}";
    }
    if (v instanceof java.nio.ByteBuffer b) {
      return b.remaining() + " bytes";
    }
    return String.valueOf(v);
  }

  private static String time(Record r, Compared c) {
    return RowEvents.instant(r.getField(c.settledBy)).toString();
  }

  /** The tables an audit run is compared on, live names. */
  public static List<TableDefinition> comparedTables() {
    List<TableDefinition> out = new ArrayList<>();
    for (Compared c : Compared.values()) {
      out.add(c.table);
    }
    return out;
  }
}
