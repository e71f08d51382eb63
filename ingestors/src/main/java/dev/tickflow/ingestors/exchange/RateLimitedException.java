package dev.tickflow.ingestors.exchange;

import java.time.Duration;

/**
 * The venue refused a request for rate reasons (HTTP 429, or 418 when it has banned the address for ignoring
 * 429s) and asked to wait longer than the caller allows. {@link #retryAfter()} is the venue's own answer.
 */
public final class RateLimitedException extends ExchangeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final Duration retryAfter;

  public RateLimitedException(String call, int status, Duration retryAfter) {
    super(call + " was refused with HTTP " + status + (status == 418 ? " (address banned)" : " (rate limit)")
        + "; the venue asks to wait " + retryAfter.toSeconds() + " s");
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
