package dev.tickflow.jobs.history;

import dev.tickflow.relay.RelayClient;
import dev.tickflow.relay.RelayPublisher;
import dev.tickflow.relay.security.CurveClientKeys;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code HISTORY_READY:<requestId>} once a completed request's rows are readable in the lake. A request
 * completed before checkpoint n is announced after n completes, and only when the table holds all its trades:
 * the Iceberg committer commits on the same checkpoint notification, in its own time, so the notifier reads the
 * table rather than trusting the order. The notification carries the snapshot to query. At least once: a
 * restore may announce a request again, which a client waiting for it does not mind.
 */
public final class HistoryNotifier extends ProcessFunction<CompletedHistory, Void>
    implements CheckpointedFunction, CheckpointListener {

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(HistoryNotifier.class);

  private final org.apache.iceberg.flink.CatalogLoader catalog;
  private final String table;
  private final String relayIngress;
  private final CurveClientKeys relayCurve;
  private final Duration timeout;

  private final List<CompletedHistory> sinceLastCheckpoint = new ArrayList<>();
  private final List<Tuple2<Long, CompletedHistory>> awaiting = new ArrayList<>();
  private transient ListState<Tuple2<Long, CompletedHistory>> state;
  private transient ExecutorService announcer;
  private transient RelayPublisher publisher;
  private transient Catalog lake;
  private transient Counter announced;

  /** @param relayCurve keys for a relay with CURVE on; null: plain */
  public HistoryNotifier(org.apache.iceberg.flink.CatalogLoader catalog, TableIdentifier table, String relayIngress,
      CurveClientKeys relayCurve, Duration timeout) {
    this.catalog = catalog;
    this.table = table.toString(); // TableIdentifier is not serializable
    this.relayIngress = relayIngress;
    this.relayCurve = relayCurve;
    this.timeout = timeout;
  }

  @Override
  public void open(OpenContext openContext) {
    announced = getRuntimeContext().getMetricGroup().counter("historyAnnounced");
    // one thread owns the relay socket and the catalog client: ZeroMQ sockets are single-threaded
    announcer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "history-notifier");
      t.setDaemon(true);
      return t;
    });
    // connected now, so the relay has passed it the clients' subscriptions long before the first announcement
    announcer.submit(() -> {
      publisher = new RelayPublisher(relayIngress, 10_000, relayCurve == null ? null : relayCurve.load());
    });
    // requests restored from a checkpoint whose completion this run never heard of
    List<CompletedHistory> restored = new ArrayList<>();
    awaiting.forEach(a -> restored.add(a.f1));
    awaiting.clear();
    restored.forEach(this::announceWhenInLake);
  }

  @Override
  public void processElement(CompletedHistory completed, Context ctx, Collector<Void> out) {
    sinceLastCheckpoint.add(completed);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    for (CompletedHistory c : sinceLastCheckpoint) {
      awaiting.add(Tuple2.of(context.getCheckpointId(), c));
    }
    sinceLastCheckpoint.clear();
    state.update(awaiting);
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("history-awaiting-commit",
        TypeInformation.of(new org.apache.flink.api.common.typeinfo.TypeHint<Tuple2<Long, CompletedHistory>>() {})));
    if (context.isRestored()) {
      state.get().forEach(awaiting::add);
    }
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    List<Tuple2<Long, CompletedHistory>> due = awaiting.stream().filter(a -> a.f0 <= checkpointId).toList();
    awaiting.removeAll(due);
    due.forEach(a -> announceWhenInLake(a.f1));
  }

  private void announceWhenInLake(CompletedHistory c) {
    announcer.submit(() -> {
      try {
        HistoryReadyNotification notification = awaitRows(c);
        byte[] payload = EventTypes.codec(HistoryReadyNotification.class).encode(notification);
        // per request (what RelayClient.requestHistory waits on) and per client (one subscription for all of a
        // client's answers)
        if (!publisher.publish(RelayClient.HISTORY_READY + c.requestId, payload)
            | !publisher.publish(RelayClient.RESPONSE + c.clientId, payload)) {
          LOG.warn("the relay dropped the announcement of {}", c.requestId);
        }
        announced.inc();
        LOG.info("announced {}: {} rows, snapshot {}", c.requestId, notification.getRowCount(),
            notification.getSnapshotId());
      } catch (Exception e) {
        LOG.warn("could not announce history request {}: {}", c.requestId, e.toString());
      }
    });
  }

  /** Waits until the table holds the request's trades; a notification saying what was found either way. */
  private HistoryReadyNotification awaitRows(CompletedHistory c) throws Exception {
    if (lake == null) {
      lake = catalog.loadCatalog();
    }
    Table t = lake.loadTable(TableIdentifier.parse(table));
    long deadline = System.nanoTime() + timeout.toNanos();
    long rows = 0;
    while (true) {
      t.refresh();
      if (t.currentSnapshot() != null) {
        rows = 0;
        try (CloseableIterable<Record> found = IcebergGenerics.read(t).select("trade_id")
            .where(Expressions.equal("history_request_id", c.requestId)).build()) {
          for (Record ignored : found) {
            rows++;
          }
        }
      }
      if (rows >= c.trades || System.nanoTime() > deadline) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(250); // waiting for the Iceberg committer, with a deadline
    }
    boolean complete = rows >= c.trades;
    HistoryStatus status = complete ? HistoryStatus.valueOf(c.status) : HistoryStatus.FAILED;
    String message = complete ? c.message
        : "only " + rows + " of " + c.trades + " trades reached " + table + " within " + timeout;
    Instant now = Instant.now();
    return HistoryReadyNotification.newBuilder().setRequestId(c.requestId).setClientId(c.clientId)
        .setStatus(status).setTable(table.toString())
        .setSnapshotId(t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId())
        .setRowCount(rows).setMessage(message).setEventTime(now).setIngestTime(now).build();
  }

  @Override
  public void close() throws Exception {
    if (announcer != null) {
      announcer.submit(() -> {
        if (publisher != null) {
          publisher.close();
        }
      });
      announcer.shutdown();
      announcer.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (lake instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
