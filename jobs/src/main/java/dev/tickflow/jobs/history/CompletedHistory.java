package dev.tickflow.jobs.history;

import dev.tickflow.schemas.event.HistoryFetched;

/**
 * A history request whose trades have all passed through the job: its marker arrived and as many trades as the
 * marker counts were seen. A Flink POJO: public fields, no-argument constructor.
 */
public class CompletedHistory {

  public String requestId;
  public String clientId;
  /** OK, PARTIAL or FAILED, as the ingestor reported it. */
  public String status;
  public String message;
  /** Trades of the request the job wrote to the lake. */
  public long trades;

  public CompletedHistory() {}

  static CompletedHistory of(HistoryFetched marker, long trades) {
    CompletedHistory c = new CompletedHistory();
    c.requestId = marker.getRequestId();
    c.clientId = marker.getClientId();
    c.status = marker.getStatus().name();
    c.message = marker.getMessage();
    c.trades = trades;
    return c;
  }

  @Override
  public String toString() {
    return "history " + requestId + " " + status + " (" + trades + " trades)";
  }
}
