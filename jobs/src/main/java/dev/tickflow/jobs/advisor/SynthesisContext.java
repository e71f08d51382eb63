package dev.tickflow.jobs.advisor;

import dev.tickflow.schemas.event.Signal;
import java.math.BigDecimal;

/** What a synthesis model is given: the signal, the market around it, and the calibrated conviction. */
public record SynthesisContext(Signal signal, MarketContext market, BigDecimal conviction, AdvisorConfig config) {}
