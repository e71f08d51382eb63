package dev.tickflow.ingestors.exchange;

/** A venue call that failed, saying which call and why. */
public class ExchangeException extends Exception {

  private static final long serialVersionUID = 1L;

  public ExchangeException(String message) {
    super(message);
  }

  public ExchangeException(String message, Throwable cause) {
    super(message, cause);
  }
}
