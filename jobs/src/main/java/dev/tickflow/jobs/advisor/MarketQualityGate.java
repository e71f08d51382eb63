package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.FeedHealth;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage 2: is this market fit to trade at the signal? Data freshness (the newest trade is recent), a known and
 * narrow spread, spread stability (recent readings close together), liquidity (the bar traded enough), and a
 * feed that was up for the bar. Every failing check is named.
 */
public final class MarketQualityGate {
  static final String STAGE = "market_quality";

  private MarketQualityGate() {}

  public static StageResult judge(MarketContext m, AdvisorConfig c) {
    List<String> problems = new ArrayList<>();
    if (m.lastTradeTime() == Long.MIN_VALUE) {
      problems.add("no trade seen yet");
    } else if (m.time() - m.lastTradeTime() > c.maxDataAgeSeconds() * 1000) {
      problems.add("stale data: newest trade " + (m.time() - m.lastTradeTime()) / 1000 + " s old (max "
          + c.maxDataAgeSeconds() + " s)");
    }
    if (m.spread() == null) {
      problems.add("spread unknown: no fresh quote and no taker buy and sell within " + c.spreadWindowSeconds()
          + " s");
    } else if (m.spread().compareTo(c.gateMaxSpread()) > 0) {
      problems.add("spread " + StageResult.text(m.spread()) + " above " + StageResult.text(c.gateMaxSpread()));
    }
    if (m.spreadRange() != null && m.spreadRange().compareTo(c.maxSpreadRange()) > 0) {
      problems.add("unstable spread: readings vary by " + StageResult.text(m.spreadRange()) + " (max "
          + StageResult.text(c.maxSpreadRange()) + ")");
    }
    if (m.barVolume() == null || m.barVolume().compareTo(c.minBarVolume()) < 0
        || m.barVolume().signum() == 0) {
      problems.add("illiquid: bar volume " + StageResult.text(m.barVolume()) + " (min "
          + StageResult.text(c.minBarVolume()) + ", and above zero)");
    }
    if (m.feedHealth() == FeedHealth.DEGRADED) {
      problems.add("feed degraded during the bar");
    }
    return problems.isEmpty()
        ? StageResult.pass(STAGE, "fresh, spread " + StageResult.text(m.spread()) + " (" + m.spreadSource()
            + "), liquid", m.inputs())
        : StageResult.block(STAGE, String.join("; ", problems), m.inputs());
  }
}
