package dev.tickflow.jobs.paper;

import dev.tickflow.schemas.event.ExecutionIntent;
import dev.tickflow.schemas.event.FillPurpose;
import dev.tickflow.schemas.event.Side;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A market order the governor approved, waiting for the next trade of its ticker to fill against: an entry
 * (carrying the approved intent), or a close of a position.
 */
public record PendingOrder(
    String ticker,
    Side side,
    BigDecimal amount,
    long placedAt,
    FillPurpose purpose,
    ExecutionIntent intent,
    String verdictId,
    String positionId) implements Serializable {}
