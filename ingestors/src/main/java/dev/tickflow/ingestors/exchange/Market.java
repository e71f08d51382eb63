package dev.tickflow.ingestors.exchange;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One market of a venue, as CCXT's {@code loadMarkets()} describes it: the unified symbol, the venue's own id,
 * and the exact price tick and amount step (never a float).
 *
 * @param symbol unified {@code BASE/QUOTE}, e.g. {@code XRP/ETH}
 * @param id the venue's market id, e.g. {@code XRPETH}
 * @param priceTick smallest price increment
 * @param amountStep smallest base-amount increment
 * @param active whether the venue trades it now
 */
public record Market(String symbol, String id, String base, String quote, BigDecimal priceTick,
    BigDecimal amountStep, boolean active) {

  public Market {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(id, "id");
  }
}
