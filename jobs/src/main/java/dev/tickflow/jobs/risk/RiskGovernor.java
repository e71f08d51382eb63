package dev.tickflow.jobs.risk;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.jobs.advisor.StageResult;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.paper.PaperBroker;
import dev.tickflow.jobs.paper.PaperConfig;
import dev.tickflow.jobs.paper.PendingOrder;
import dev.tickflow.jobs.paper.Position;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.AuditEvent;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.Fill;
import dev.tickflow.schemas.event.FillPurpose;
import dev.tickflow.schemas.event.MetricsSnapshot;
import dev.tickflow.schemas.event.RiskAction;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.RiskVerdict;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SignalOutcome;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.StageOutcome;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The inspector, keyed by account: every execution intent gets a verdict from the {@link RiskPolicy} (ALLOW,
 * BLOCK, THROTTLE, STAND_DOWN), approved ones are executed on paper by the {@link PaperBroker} against the trades
 * that follow, and operators' commands (stand down, resume, close all) apply in event-time order with the data.
 * Closing intents (the opposite side of an open position) and protective exits are never blocked by a halt.
 *
 * <p>Inputs are held until the watermark passes them and applied in time order (commands, then trades, then
 * intents within a millisecond), so a replay produces the same verdicts, fills and profit. Main output: verdicts;
 * side outputs: {@link #FILLS}, {@link #OUTCOMES}, {@link #SNAPSHOTS} (every {@code snapshotIntervalSeconds} of
 * event time, and when the input ends) and {@link #AUDIT}.
 */
public final class RiskGovernor extends KeyedProcessFunction<String, AccountInput, RiskVerdict> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<Fill> FILLS = new OutputTag<>("paper-fills", FlinkTypes.of(Fill.class));
  public static final OutputTag<SignalOutcome> OUTCOMES =
      new OutputTag<>("paper-outcomes", FlinkTypes.of(SignalOutcome.class));
  public static final OutputTag<MetricsSnapshot> SNAPSHOTS =
      new OutputTag<>("paper-snapshots", FlinkTypes.of(MetricsSnapshot.class));
  public static final OutputTag<AuditEvent> AUDIT =
      new OutputTag<>("risk-audit", FlinkTypes.of(AuditEvent.class));
  /** The snapshot component name. */
  public static final String COMPONENT = "paper-account";

  // Typed, not bytes: every trade touches the book, and on the heap backend a typed value costs no serialization
  // per access (the advisor's market view measured 24x faster this way).
  private static final ValueStateDescriptor<AccountBook> BOOK =
      new ValueStateDescriptor<>("risk-account-book", FlinkTypes.of(AccountBook.class));
  private static final MapStateDescriptor<Long, List<AccountInput>> PENDING = new MapStateDescriptor<>(
      "risk-pending-inputs", Types.LONG, Types.LIST(FlinkTypes.of(AccountInput.class)));

  private final RiskLimits limits;
  private final PaperConfig paper;

  private transient ValueState<AccountBook> book;
  private transient MapState<Long, List<AccountInput>> pending;
  private transient RiskPolicy policy;
  private transient PaperBroker broker;
  private transient Map<RiskAction, Counter> verdicts;
  private transient Counter fills;

  public RiskGovernor(RiskLimits limits, PaperConfig paper) {
    this.limits = limits;
    this.paper = paper;
  }

  @Override
  public void open(OpenContext openContext) {
    book = getRuntimeContext().getState(BOOK);
    pending = getRuntimeContext().getMapState(PENDING);
    policy = new RiskPolicy(limits);
    broker = new PaperBroker(paper);
    verdicts = new LinkedHashMap<>();
    for (RiskAction a : RiskAction.values()) {
      verdicts.put(a, getRuntimeContext().getMetricGroup().counter("riskVerdicts" + camel(a)));
    }
    fills = getRuntimeContext().getMetricGroup().counter("paperFills");
  }

  private static String camel(RiskAction a) {
    StringBuilder b = new StringBuilder();
    for (String part : a.name().split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }

  @Override
  public void processElement(AccountInput input, Context ctx, Collector<RiskVerdict> out) throws Exception {
    long time = input.time();
    if (time <= ctx.timerService().currentWatermark()) {
      apply(List.of(input), ctx, out); // late (a command issued for a time already passed): applies now
      return;
    }
    List<AccountInput> due = pending.get(time);
    List<AccountInput> list = due == null ? new ArrayList<>() : new ArrayList<>(due);
    list.add(input);
    pending.put(time, list);
    ctx.timerService().registerEventTimeTimer(time);
    // the final snapshot of a bounded run: fires when the input ends (the watermark jumps to the maximum)
    ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RiskVerdict> out) throws Exception {
    if (timestamp == Long.MAX_VALUE) {
      AccountBook b = load(ctx.getCurrentKey());
      ctx.output(SNAPSHOTS, snapshot(ctx.getCurrentKey(), b, b.lastEventTime));
      return;
    }
    List<AccountInput> due = pending.get(timestamp);
    if (due == null) {
      return;
    }
    pending.remove(timestamp);
    List<AccountInput> ordered = new ArrayList<>(due);
    ordered.sort(Comparator.comparingInt(AccountInput::rank));
    apply(ordered, ctx, out);
  }

  private AccountBook load(String account) throws Exception {
    AccountBook b = book.value();
    return b != null ? b : new AccountBook(limits);
  }

  private void apply(List<AccountInput> inputs, Context ctx, Collector<RiskVerdict> out) throws Exception {
    String account = ctx.getCurrentKey();
    AccountBook b = load(account);
    PaperBroker.Events events = new PaperBroker.Events() {
      @Override
      public void fill(Fill fill) {
        fills.inc();
        b.count("fills");
        ctx.output(FILLS, fill);
      }

      @Override
      public void outcome(SignalOutcome outcome) {
        ctx.output(OUTCOMES, outcome);
      }
    };
    for (AccountInput in : inputs) {
      long time = in.time();
      snapshotsDue(account, b, time, ctx);
      b.lastEventTime = Math.max(b.lastEventTime, time);
      policy.roll(b, time);
      try {
        if (in.control != null) {
          command(in.control, b, ctx, out);
        } else if (in.trade != null) {
          broker.onTrade(b, account, in.trade, events);
        } else {
          intent(in.intent, b, time, ctx, out);
        }
      } catch (RuntimeException e) {
        // one record the governor cannot handle must not stop the account: it goes to the dead letters
        ctx.output(DeadLetters.TAG, deadLetter(in, e));
      }
    }
    book.update(b);
  }

  private static dev.tickflow.schemas.event.DeadLetter deadLetter(AccountInput in, RuntimeException e) {
    String reason = "the risk governor could not process it: " + e;
    if (in.intent != null) {
      return DeadLetters.of(ExecutionIntent.class, in.intent, in.account, in.intent.getSource(),
          in.intent.getEventTime(), in.intent.getIngestTime(), "RISK_FAILED", reason, "risk");
    }
    if (in.control != null) {
      return DeadLetters.of(RiskControl.class, in.control, in.account, null, in.control.getEventTime(),
          in.control.getIngestTime(), "RISK_FAILED", reason, "risk");
    }
    return DeadLetters.of(dev.tickflow.schemas.event.Trade.class, in.trade, in.account, in.trade.getSource(),
        in.trade.getEventTime(), in.trade.getIngestTime(), "RISK_FAILED", reason, "risk");
  }

  /** Emits the snapshots of every interval boundary up to {@code time}, then moves the next one on. */
  private void snapshotsDue(String account, AccountBook b, long time, Context ctx) {
    long interval = paper.snapshotIntervalSeconds() * 1000;
    if (b.nextSnapshot == Long.MIN_VALUE) {
      b.nextSnapshot = Math.floorDiv(time, interval) * interval + interval;
      return;
    }
    if (time >= b.nextSnapshot) {
      ctx.output(SNAPSHOTS, snapshot(account, b, b.nextSnapshot));
      b.nextSnapshot = Math.floorDiv(time, interval) * interval + interval;
    }
  }

  private void intent(ExecutionIntent i, AccountBook b, long time, Context ctx, Collector<RiskVerdict> out) {
    b.count("intents");
    String ticker = Ticker.key(i.getExchange(), i.getBase(), i.getQuote());
    Position open = b.positions().get(ticker);
    Direction wants = i.getSide() == Side.SELL ? Direction.SHORT : Direction.LONG;
    boolean closing = open != null && open.direction() != wants;
    if (closing || i.getReduceOnly()) {
      // exits are never blocked by a halt: they reduce risk
      String verdictId = "ver-" + i.getIntentId();
      if (open == null) {
        verdict(i, b, RiskAction.BLOCK, BigDecimal.ZERO, List.of(StageResult.block("reduce_only",
            "nothing to reduce on " + ticker, Map.of())), List.of("reduce-only with no position on " + ticker),
            ctx, out);
        return;
      }
      b.pending().add(new PendingOrder(ticker, i.getSide(), open.amount(), time, FillPurpose.CLOSE, i, verdictId,
          open.positionId()));
      verdict(i, b, RiskAction.ALLOW, open.amount(), List.of(StageResult.pass("reduce_only",
          "closes " + open.positionId() + " (" + text(open.amount()) + "); exits pass any halt", Map.of())),
          List.of(), ctx, out);
      return;
    }
    RiskPolicy.Judgement j = policy.judge(i, b, time);
    BigDecimal amount = Decimals.rounded(j.amount());
    RiskVerdict v = verdict(i, b, j.action(), amount, j.checks(), j.reasons(), ctx, out);
    if (v.getApproved()) {
      b.pending().add(new PendingOrder(ticker, i.getSide(), amount, time, FillPurpose.OPEN, i, v.getVerdictId(),
          null));
    }
  }

  private RiskVerdict verdict(ExecutionIntent i, AccountBook b, RiskAction action, BigDecimal amount,
      List<StageResult> checks, List<String> reasons, Context ctx, Collector<RiskVerdict> out) {
    boolean approved = action == RiskAction.ALLOW || action == RiskAction.THROTTLE;
    b.count("verdict_" + action.name().toLowerCase(java.util.Locale.ROOT));
    verdicts.get(action).inc();
    List<StageOutcome> outcomes = new ArrayList<>();
    checks.forEach(c -> outcomes.add(c.toOutcome()));
    RiskVerdict v = RiskVerdict.newBuilder()
        .setVerdictId("ver-" + i.getIntentId()).setIntentId(i.getIntentId())
        .setExchange(i.getExchange()).setBase(i.getBase()).setQuote(i.getQuote())
        .setApproved(approved).setApprovedAmount(approved ? Decimals.rounded(amount) : Decimals.rounded(BigDecimal.ZERO))
        .setChecks(outcomes).setEventTime(i.getEventTime()).setIngestTime(i.getIngestTime()).setSource(i.getSource())
        .setAccount(ctx.getCurrentKey()).setVerdict(action).setReasons(new ArrayList<>(reasons))
        .setLimitState(policy.limitState(b)).setRequestedAmount(i.getAmount()).setSignalId(i.getSignalId())
        .setReduceOnly(i.getReduceOnly())
        .build();
    out.collect(v);
    ctx.output(AUDIT, audit(v, i.getSignalId(), "risk", "verdict", action.name(),
        reasons.isEmpty() ? action + " " + text(v.getApprovedAmount()) : action + ": " + String.join("; ", reasons)));
    return v;
  }

  private void command(RiskControl c, AccountBook b, Context ctx, Collector<RiskVerdict> out) {
    long time = c.getEventTime().toEpochMilli();
    String who = c.getOperator().isEmpty() ? "an operator" : c.getOperator();
    String why = c.getReason().isEmpty() ? "" : " (" + c.getReason() + ")";
    RiskAction action;
    List<String> reasons = new ArrayList<>();
    switch (c.getCommand()) {
      case STAND_DOWN -> {
        b.halt = new AccountBook.Halt("stand-down by " + who + why, true, time);
        action = RiskAction.STAND_DOWN;
        reasons.add(b.halt.reason() + "; exits still allowed");
      }
      case RESUME -> {
        b.halt = null;
        b.consecutiveLosses = 0;
        b.sessionPeak = b.equity(); // a fresh start: the drawdown that halted it is not held against it again
        action = RiskAction.ALLOW;
        reasons.add("resumed by " + who + why);
      }
      case CLOSE_ALL -> {
        b.pending().removeIf(o -> o.purpose() == FillPurpose.OPEN);
        for (Position p : b.positions().values()) {
          b.pending().add(new PendingOrder(p.ticker(), p.direction() == Direction.LONG ? Side.SELL : Side.BUY,
              p.amount(), time, FillPurpose.CLOSE_ALL, null, "ver-" + c.getCommandId(), p.positionId()));
        }
        b.halt = new AccountBook.Halt("close-all by " + who + why, true, time);
        action = RiskAction.CLOSE_ALL;
        reasons.add("flattening " + b.positions().size() + " position(s); standing down until resumed");
      }
      default -> {
        action = RiskAction.BLOCK;
        reasons.add("unknown command " + c.getCommand() + ": ignored");
      }
    }
    b.count("commands");
    verdicts.get(action).inc();
    RiskVerdict v = RiskVerdict.newBuilder()
        .setVerdictId("ver-" + c.getCommandId()).setIntentId(c.getCommandId())
        .setExchange("").setBase("").setQuote("")
        .setApproved(c.getCommand() != dev.tickflow.schemas.event.RiskCommand.UNKNOWN)
        .setApprovedAmount(Decimals.rounded(BigDecimal.ZERO)).setChecks(List.of())
        .setEventTime(c.getEventTime()).setIngestTime(c.getIngestTime())
        .setSource(new SourceRange("trade.control", -1, -1L, -1L))
        .setAccount(c.getAccount()).setVerdict(action).setReasons(reasons).setLimitState(policy.limitState(b))
        .setRequestedAmount(null).setSignalId("").setReduceOnly(false)
        .build();
    out.collect(v);
    ctx.output(AUDIT, audit(v, c.getCommandId(), "risk", "command", c.getCommand().name(), String.join("; ", reasons)));
  }

  private static AuditEvent audit(RiskVerdict v, String traceId, String component, String stage, String kind,
      String outcome) {
    Map<String, String> inputs = new TreeMap<>(v.getLimitState());
    inputs.put("verdict", v.getVerdict().name());
    inputs.put("approved_amount", text(v.getApprovedAmount()));
    return AuditEvent.newBuilder()
        .setAuditId(traceId + "/" + component + "/" + stage).setTraceId(traceId).setComponent(component)
        .setStage(stage).setKind(kind.toLowerCase(java.util.Locale.ROOT))
        .setExchange(v.getExchange()).setBase(v.getBase()).setQuote(v.getQuote())
        .setInputs(new LinkedHashMap<>(inputs)).setOutcome(outcome)
        .setEventTime(v.getEventTime()).setIngestTime(v.getIngestTime())
        .build();
  }

  /** The account's figures at {@code time}: equity, profit, drawdown, hit rate, utilization, counters. */
  MetricsSnapshot snapshot(String account, AccountBook b, long time) {
    Map<String, String> g = new TreeMap<>();
    BigDecimal equity = b.equity();
    g.put("currency", b.currency() == null ? "" : b.currency());
    g.put("equity", text(equity));
    g.put("realized_pnl", text(b.realized()));
    g.put("unrealized_pnl", text(b.unrealized()));
    g.put("fees", text(b.fees()));
    g.put("session_peak", text(b.sessionPeak()));
    g.put("drawdown", text(policy.drawdown(b)));
    long wins = b.counters().getOrDefault("wins", 0L);
    long closed = b.counters().getOrDefault("closed", 0L);
    g.put("hit_rate", closed == 0 ? "-" : text(dev.tickflow.jobs.indicators.Precision.divide(
        BigDecimal.valueOf(wins), closed)));
    g.put("utilization", equity.signum() <= 0 ? "-"
        : text(dev.tickflow.jobs.indicators.Precision.divide(b.exposure(), equity)));
    g.put("open_positions", Integer.toString(b.positions().size()));
    g.put("halt", b.halt() == null ? "" : b.halt().reason());
    Instant at = Instant.ofEpochMilli(time);
    return MetricsSnapshot.newBuilder().setComponent(COMPONENT).setInstance(account)
        .setCounters(new LinkedHashMap<>(new TreeMap<>(b.counters()))).setGauges(new LinkedHashMap<>(g))
        .setEventTime(at).setIngestTime(at).build();
  }
}
