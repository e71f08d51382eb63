package dev.tickflow.jobs.io;

import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.schemas.Topic;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where one run of the job graph reads and writes. The live job reads every topic from its consumer groups'
 * committed offsets and writes the live topics and tables. An audit run (a replay or a backtest) runs the same graph
 * over bounded offset ranges and writes everything under its run id instead: topics {@code <topic>.<runId>}, tables
 * in the namespace {@code <runId>} named {@code <namespace>_<table>}, consumer groups and transactional ids of its
 * own, and the sources' and sinks' operator uids prefixed, so that state restored from a live savepoint brings back
 * the operators' state but never a live source position, Kafka transaction or Iceberg commit.
 *
 * <p>In an audit run, the topics the graph itself writes and reads again ({@code market_data.trades},
 * {@code market_data.ohlc}) are read from the run's own copies; the inputs nobody in the graph writes (raw trades,
 * quotes, operator commands, calibration, detector changes) are read from the live topics, each over the range
 * {@link #ranges} gives it or, without one, from the earliest to the latest offset at the start.
 *
 * @param runId the run's id, e.g. {@code audit_20261124t030000_5f2a}; null: live
 * @param ranges per topic, per partition: {@code [from, to)} offsets to read
 */
public record RunScope(String runId, Map<String, Map<Integer, OffsetRange>> ranges) implements Serializable {

  /** The live job: committed offsets, live names. */
  public static final RunScope LIVE = new RunScope(null, Map.of());

  /** Topics no operator of the graph writes: an audit run reads them from the live cluster. */
  private static final Set<String> EXTERNAL_INPUTS = Set.of(Topic.MARKET_DATA_RAW.topicName(),
      Topic.MARKET_DATA_QUOTES.topicName(), Topic.TRADE_CONTROL.topicName(), Topic.ADVISOR_CALIBRATION.topicName(),
      Topic.SIGNALS_DETECTORS.topicName());

  /** {@code [from, to)} offsets of one partition. */
  public record OffsetRange(long from, long to) implements Serializable {
    public OffsetRange {
      if (from < 0 || to < from) {
        throw new IllegalArgumentException("offset range [" + from + ", " + to + ") is not a range");
      }
    }

    public long count() {
      return to - from;
    }

    @Override
    public String toString() {
      return from + ".." + to;
    }
  }

  public RunScope {
    if (runId != null && !runId.matches("[a-z0-9_]{1,100}")) {
      throw new IllegalArgumentException("run id '" + runId + "' must be lower-case letters, digits and '_'");
    }
    Map<String, Map<Integer, OffsetRange>> copy = new TreeMap<>();
    Objects.requireNonNull(ranges, "ranges").forEach((t, p) -> copy.put(t, Map.copyOf(new TreeMap<>(p))));
    ranges = Map.copyOf(copy);
  }

  /** An audit run writing under {@code runId}, reading {@code ranges}. */
  public static RunScope audit(String runId, Map<String, Map<Integer, OffsetRange>> ranges) {
    return new RunScope(Objects.requireNonNull(runId, "runId"), ranges);
  }

  public boolean live() {
    return runId == null;
  }

  /** The name this run writes {@code topic} under. */
  public String outputTopic(Topic topic) {
    return outputTopic(topic.topicName());
  }

  public String outputTopic(String topic) {
    return live() ? topic : topic + "." + runId;
  }

  /** The name this run reads {@code topic} from: its own copy of what the graph wrote, the live one otherwise. */
  public String inputTopic(String topic) {
    return live() || EXTERNAL_INPUTS.contains(topic) ? topic : outputTopic(topic);
  }

  /** The table as this run writes it. */
  public TableDefinition table(TableDefinition table) {
    if (live()) {
      return table;
    }
    TableIdentifier id = table.identifier();
    return new TableDefinition(TableIdentifier.of(runId, String.join("_", id.namespace().levels()) + "_" + id.name()),
        table.schema(), table.spec(), table.sortOrder(), table.properties());
  }

  /** A source's or sink's operator uid: live uids unchanged, an audit run's distinct. */
  public String io(String uid) {
    return live() ? uid : "audit-" + uid;
  }

  /** The consumer group of a source: the live one, or one of the run's own. */
  public String group(String liveGroup) {
    return live() ? liveGroup : runId + "-" + liveGroup;
  }
}
