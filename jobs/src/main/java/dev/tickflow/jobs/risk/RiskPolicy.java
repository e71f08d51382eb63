package dev.tickflow.jobs.risk;

import static dev.tickflow.jobs.advisor.StageResult.text;

import dev.tickflow.jobs.advisor.StageResult;
import dev.tickflow.jobs.indicators.Precision;
import dev.tickflow.jobs.paper.Position;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.TickerPatterns;
import dev.tickflow.schemas.event.Direction;
import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.RiskAction;
import dev.tickflow.schemas.event.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inspector's checks on an entry intent, each one named with its inputs: halt, session drawdown, losing
 * streak, cooldown after a loss, trading window, one position per ticker, correlated positions, currency,
 * position size and total exposure. The verdict is the most severe outcome: STAND_DOWN over BLOCK over THROTTLE
 * (a smaller size that fits) over ALLOW. Closing intents never come here: nothing stops an exit.
 */
public final class RiskPolicy {

  private final RiskLimits limits;

  public RiskPolicy(RiskLimits limits) {
    this.limits = limits;
  }

  /** The verdict on an entry, before it is written: action, size, every check, the reasons. */
  public record Judgement(RiskAction action, BigDecimal amount, List<StageResult> checks, List<String> reasons) {}

  public Judgement judge(ExecutionIntent intent, AccountBook book, long time) {
    List<StageResult> checks = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    RiskAction action = RiskAction.ALLOW;
    String ticker = Ticker.key(intent.getExchange(), intent.getBase(), intent.getQuote());
    Direction direction = intent.getSide() == Side.SELL ? Direction.SHORT : Direction.LONG;
    BigDecimal equity = book.equity();
    BigDecimal price = intent.getReferencePrice() != null ? intent.getReferencePrice()
        : book.lastPrice.get(ticker);
    BigDecimal amount = intent.getAmount();

    // halts: an operator's, or one the account earned (drawdown, streak); an earned one already standing is
    // reported once, by the halt check
    boolean halted = book.halt != null;
    if (halted) {
      action = worse(action, RiskAction.STAND_DOWN);
      reasons.add("standing down: " + book.halt.reason());
      checks.add(StageResult.block("halt", book.halt.reason(), Map.of("manual", Boolean.toString(book.halt.manual()))));
    } else {
      checks.add(StageResult.pass("halt", "trading", Map.of()));
    }
    BigDecimal drawdown = drawdown(book);
    if (drawdown.compareTo(limits.maxSessionDrawdown()) >= 0) {
      action = worse(action, RiskAction.STAND_DOWN);
      String why = "session drawdown " + text(drawdown) + " reached " + text(limits.maxSessionDrawdown());
      if (!halted) {
        reasons.add(why);
      }
      book.halt = book.halt != null ? book.halt : new AccountBook.Halt(why, false, time);
      checks.add(StageResult.block("session_drawdown", why, Map.of("drawdown", text(drawdown))));
    } else {
      checks.add(StageResult.pass("session_drawdown", "drawdown " + text(drawdown), Map.of("drawdown", text(drawdown))));
    }
    if (book.consecutiveLosses >= limits.maxConsecutiveLosses()) {
      action = worse(action, RiskAction.STAND_DOWN);
      String why = book.consecutiveLosses + " losses in a row (limit " + limits.maxConsecutiveLosses() + ")";
      if (!halted) {
        reasons.add(why);
      }
      book.halt = book.halt != null ? book.halt : new AccountBook.Halt(why, false, time);
      checks.add(StageResult.block("consecutive_losses", why, Map.of()));
    } else {
      checks.add(StageResult.pass("consecutive_losses", book.consecutiveLosses + " in a row", Map.of()));
    }
    long sinceLoss = book.lastLossTime == Long.MIN_VALUE ? Long.MAX_VALUE : time - book.lastLossTime;
    if (sinceLoss < limits.lossCooldownSeconds() * 1000) {
      action = worse(action, RiskAction.BLOCK);
      String why = "cooling down: last loss " + sinceLoss / 1000 + " s ago (cooldown " + limits.lossCooldownSeconds()
          + " s)";
      reasons.add(why);
      checks.add(StageResult.block("loss_cooldown", why, Map.of()));
    } else {
      checks.add(StageResult.pass("loss_cooldown", "no recent loss", Map.of()));
    }
    if (!inWindow(time)) {
      action = worse(action, RiskAction.BLOCK);
      String why = "outside trading windows " + limits.tradingWindows() + " at "
          + LocalTime.ofInstant(Instant.ofEpochMilli(time), ZoneOffset.UTC);
      reasons.add(why);
      checks.add(StageResult.block("trading_window", why, Map.of()));
    } else {
      checks.add(StageResult.pass("trading_window", "inside", Map.of()));
    }
    Position same = book.positions.get(ticker);
    if (same != null) {
      action = worse(action, RiskAction.BLOCK);
      String why = "already " + same.direction().name().toLowerCase(java.util.Locale.ROOT) + " " + ticker;
      reasons.add(why);
      checks.add(StageResult.block("one_position_per_ticker", why, Map.of()));
    }
    String group = group(ticker, intent.getQuote());
    long correlated = book.positions.values().stream()
        .filter(p -> p.direction() == direction && group(p.ticker(), p.quote()).equals(group)).count();
    if (correlated >= limits.maxCorrelatedPositions()) {
      action = worse(action, RiskAction.BLOCK);
      String why = correlated + " " + direction + " positions already open in group " + group + " (limit "
          + limits.maxCorrelatedPositions() + ")";
      reasons.add(why);
      checks.add(StageResult.block("correlated_positions", why, Map.of("group", group)));
    } else {
      checks.add(StageResult.pass("correlated_positions", correlated + " in group " + group, Map.of("group", group)));
    }
    if (book.currency == null || book.currency.isEmpty()) {
      book.currency = intent.getQuote();
    }
    if (!book.currency.equals(intent.getQuote())) {
      action = worse(action, RiskAction.BLOCK);
      String why = ticker + " is quoted in " + intent.getQuote() + ", the account is in " + book.currency;
      reasons.add(why);
      checks.add(StageResult.block("currency", why, Map.of()));
    }
    if (intent.getStopLoss() == null || intent.getTakeProfit() == null) {
      action = worse(action, RiskAction.BLOCK);
      reasons.add("an entry needs a stop-loss and a take-profit");
      checks.add(StageResult.block("protective_orders", "an entry needs a stop-loss and a take-profit", Map.of()));
    }
    if (price == null || price.signum() <= 0 || amount.signum() <= 0) {
      action = worse(action, RiskAction.BLOCK);
      reasons.add("no price or size to judge");
      checks.add(StageResult.block("position_size", "no price or size to judge", Map.of()));
      return new Judgement(action, BigDecimal.ZERO, checks, reasons);
    }
    // sizes: a position and the whole book against equity
    BigDecimal maxPosition = equity.multiply(limits.maxPositionFraction());
    BigDecimal notional = amount.multiply(price);
    if (notional.compareTo(maxPosition) > 0) {
      amount = maxPosition.divide(price, limits.amountScale(), RoundingMode.DOWN);
      action = worse(action, RiskAction.THROTTLE);
      String why = "position " + text(notional) + " above " + text(maxPosition) + ": size cut to " + text(amount);
      reasons.add(why);
      checks.add(StageResult.block("position_size", why, Map.of("notional", text(notional), "max", text(maxPosition))));
      notional = amount.multiply(price);
    } else {
      checks.add(StageResult.pass("position_size", "notional " + text(notional) + " within " + text(maxPosition),
          Map.of("notional", text(notional), "max", text(maxPosition))));
    }
    BigDecimal headroom = equity.multiply(limits.maxExposureFraction()).subtract(book.exposure());
    if (headroom.signum() <= 0) {
      action = worse(action, RiskAction.BLOCK);
      String why = "exposure cap reached: " + text(book.exposure()) + " open";
      reasons.add(why);
      checks.add(StageResult.block("exposure", why, Map.of("headroom", text(headroom))));
    } else if (notional.compareTo(headroom) > 0) {
      amount = headroom.divide(price, limits.amountScale(), RoundingMode.DOWN);
      action = worse(action, amount.signum() > 0 ? RiskAction.THROTTLE : RiskAction.BLOCK);
      String why = "exposure: only " + text(headroom) + " left under the cap: size cut to " + text(amount);
      reasons.add(why);
      checks.add(StageResult.block("exposure", why, Map.of("headroom", text(headroom))));
    } else {
      checks.add(StageResult.pass("exposure", "headroom " + text(headroom), Map.of("headroom", text(headroom))));
    }
    boolean approved = action == RiskAction.ALLOW || action == RiskAction.THROTTLE;
    return new Judgement(action, approved ? amount : BigDecimal.ZERO, checks, reasons);
  }

  /** Fall from the session's peak equity, as a fraction of the peak. */
  public BigDecimal drawdown(AccountBook book) {
    BigDecimal equity = book.equity();
    if (equity.compareTo(book.sessionPeak) > 0) {
      book.sessionPeak = equity;
    }
    return book.sessionPeak.signum() <= 0 ? BigDecimal.ZERO
        : Precision.divide(book.sessionPeak.subtract(equity), book.sessionPeak);
  }

  /** Starts a new session at a new UTC day: peak reset to equity, an earned halt lifted (an operator's stays). */
  public void roll(AccountBook book, long time) {
    long day = Math.floorDiv(time, 86_400_000L);
    if (day != book.sessionDay) {
      book.sessionDay = day;
      book.sessionPeak = book.equity();
      if (book.halt != null && !book.halt.manual()) {
        book.halt = null;
        book.consecutiveLosses = 0;
      }
    }
  }

  /** The account state a verdict records. */
  public Map<String, String> limitState(AccountBook book) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("currency", book.currency == null ? "" : book.currency);
    m.put("equity", text(book.equity()));
    m.put("session_peak", text(book.sessionPeak));
    m.put("drawdown", text(drawdown(book)));
    m.put("exposure", text(book.exposure()));
    m.put("open_positions", Integer.toString(book.positions.size()));
    m.put("consecutive_losses", Integer.toString(book.consecutiveLosses));
    m.put("halt", book.halt == null ? "" : book.halt.reason());
    return m;
  }

  private boolean inWindow(long time) {
    if (limits.tradingWindows().isEmpty()) {
      return true;
    }
    LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(time), ZoneOffset.UTC);
    for (String w : limits.tradingWindows()) {
      LocalTime[] window = RiskLimits.window(w);
      boolean inside = window[0].isBefore(window[1])
          ? !t.isBefore(window[0]) && t.isBefore(window[1])
          : !t.isBefore(window[0]) || t.isBefore(window[1]);
      if (inside) {
        return true;
      }
    }
    return false;
  }

  private String group(String ticker, String quote) {
    for (Map.Entry<String, String> e : limits.correlationGroups().entrySet()) {
      if (TickerPatterns.anyMatches(List.of(e.getKey()), ticker)) {
        return e.getValue();
      }
    }
    return "quote:" + quote;
  }

  private static RiskAction worse(RiskAction a, RiskAction b) {
    return severity(b) > severity(a) ? b : a;
  }

  private static int severity(RiskAction a) {
    return switch (a) {
      case ALLOW -> 0;
      case THROTTLE -> 1;
      case BLOCK -> 2;
      case STAND_DOWN, CLOSE_ALL -> 3;
    };
  }
}
