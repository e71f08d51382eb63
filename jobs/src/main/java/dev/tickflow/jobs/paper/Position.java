package dev.tickflow.jobs.paper;

import dev.tickflow.schemas.event.Direction;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * An open paper position with its protective orders and the ids that trace it back to its signal.
 *
 * @param entryFee fee paid on the opening fill (counted in the trade's profit when it closes)
 */
public record Position(
    String positionId,
    String exchange,
    String base,
    String quote,
    Direction direction,
    BigDecimal amount,
    BigDecimal entryPrice,
    BigDecimal stopLoss,
    BigDecimal takeProfit,
    long openTime,
    BigDecimal entryFee,
    String signalId,
    String decisionId,
    String intentId,
    String verdictId,
    BigDecimal conviction,
    BigDecimal rawConviction,
    String regime) implements Serializable {

  public String ticker() {
    return dev.tickflow.schemas.Ticker.key(exchange, base, quote);
  }

  public BigDecimal notionalAt(BigDecimal price) {
    return amount.multiply(price);
  }
}
