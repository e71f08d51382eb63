package dev.tickflow.schemas.codec;

/**
 * A record value that cannot be decoded. {@link #kind()} is the machine-readable category that dead letters
 * carry as {@code errorType}; the message says what exactly is wrong.
 */
public final class PayloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a payload was refused. */
  public enum Kind {
    /** Null or empty value. */
    EMPTY_PAYLOAD,
    /** Does not start with the Avro single-object marker {@code C3 01}. */
    NOT_SINGLE_OBJECT,
    /** A well-formed header whose schema fingerprint no tickflow release ever had. */
    UNKNOWN_SCHEMA,
    /** A tickflow event, but not of the type this reader expects. */
    WRONG_TYPE,
    /** Header fine, body does not decode with the schema it names. */
    CORRUPT_PAYLOAD
  }

  private final Kind kind;

  public PayloadException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public PayloadException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
