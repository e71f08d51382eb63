package dev.tickflow.jobs.detector;

/** The CEP alerts a detector's {@code pattern} rules can see: which patterns matched on the ticker, and when. */
public interface PatternMatches {

  /** No alerts at all: for instances without pattern rules. */
  PatternMatches NONE = (pattern, from, to) -> false;

  /** Whether {@code pattern} matched with its last bar closing in {@code (fromExclusive, toInclusive]} (epoch ms). */
  boolean matched(String pattern, long fromExclusive, long toInclusive);
}
