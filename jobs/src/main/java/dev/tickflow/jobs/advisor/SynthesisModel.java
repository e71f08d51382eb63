package dev.tickflow.jobs.advisor;

import java.io.Serializable;

/**
 * Stage 6's pluggable part: turns a qualified signal into a trade plan. The default is {@link
 * DeterministicSynthesis}; {@link HttpSynthesisModel} asks an external model. Whatever a model answers is checked
 * by {@link SynthesisValidator} before it is used.
 */
public interface SynthesisModel extends Serializable {

  /** A short name recorded with every decision. */
  String name();

  /** The plan; may throw when the model cannot answer (the advisor then falls back). */
  TradePlan propose(SynthesisContext context) throws Exception;

  /** Called once per operator instance before the first proposal. */
  default void open() {}

  default void close() {}
}
