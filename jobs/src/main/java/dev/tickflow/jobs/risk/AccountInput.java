package dev.tickflow.jobs.risk;

import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.RiskControl;
import dev.tickflow.schemas.event.Trade;

/**
 * What the risk governor reads, keyed by account: an operator's command, a trade (market data the account's
 * orders fill against; every trade goes to every account), or an execution intent. Exactly one is set. A Flink
 * POJO: public fields, no-argument constructor.
 */
public class AccountInput {

  public String account;
  public RiskControl control;
  public Trade trade;
  public ExecutionIntent intent;

  public AccountInput() {}

  public static AccountInput of(RiskControl c) {
    AccountInput in = new AccountInput();
    in.account = c.getAccount();
    in.control = c;
    return in;
  }

  public static AccountInput of(String account, Trade t) {
    AccountInput in = new AccountInput();
    in.account = account;
    in.trade = t;
    return in;
  }

  public static AccountInput of(ExecutionIntent i) {
    AccountInput in = new AccountInput();
    in.account = i.getAccount();
    in.intent = i;
    return in;
  }

  public String account() {
    return account;
  }

  public long time() {
    return control != null ? control.getEventTime().toEpochMilli()
        : trade != null ? trade.getEventTime().toEpochMilli() : intent.getEventTime().toEpochMilli();
  }

  /**
   * Order within a millisecond: commands first (an operator's stop applies to everything after it), then trades
   * (orders placed earlier fill), then intents (which fill against later trades).
   */
  int rank() {
    return control != null ? 0 : trade != null ? 1 : 2;
  }
}
