package dev.tickflow.jobs.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;

/**
 * Reports a bounded run's progress while it runs: the records its sources have emitted (from the Flink REST API's
 * per-vertex counters, as the web UI shows them), the share of the expected total and the rate. Lines go to the
 * writer every {@link #INTERVAL}, so a long replay says how far it is.
 */
final class ReplayProgress {

  static final Duration INTERVAL = Duration.ofSeconds(5);

  /** How many records the run's sources will read, roughly (offsets include transaction markers). */
  record Expected(long records) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String rest;
  private final String jobId;
  private final String stage;
  private final Expected expected;
  private final PrintWriter out;
  private final Duration interval;

  ReplayProgress(String rest, String jobId, String stage, Expected expected, PrintWriter out) {
    this(rest, jobId, stage, expected, out, INTERVAL);
  }

  ReplayProgress(String rest, String jobId, String stage, Expected expected, PrintWriter out, Duration interval) {
    this.interval = interval;
    this.rest = rest;
    this.jobId = jobId;
    this.stage = stage;
    this.expected = expected;
    this.out = out;
  }

  /** Waits for the job to end, printing progress; returns the records its sources emitted, as last seen. */
  long awaitEnd(JobClient job) throws Exception {
    long started = System.nanoTime();
    long last = 0;
    long lastAt = started;
    var result = job.getJobExecutionResult();
    while (true) {
      try {
        result.get(interval.toMillis(), TimeUnit.MILLISECONDS);
        out.printf(Locale.ROOT, "  %s: done in %.1f s%n", stage, (System.nanoTime() - started) / 1e9);
        out.flush();
        return last;
      } catch (TimeoutException stillRunning) {
        long now = System.nanoTime();
        long emitted = sourceRecords();
        if (emitted >= 0) {
          double rate = (emitted - last) / ((now - lastAt) / 1e9);
          String share = expected.records() > 0
              ? String.format(Locale.ROOT, " (%d%% of ~%,d)", Math.min(99, emitted * 100 / expected.records()),
                  expected.records())
              : "";
          out.printf(Locale.ROOT, "  %s: %,d records read%s, %,.0f/s%n", stage, emitted, share, rate);
          out.flush();
          last = emitted;
          lastAt = now;
        }
      } catch (ExecutionException failed) {
        Throwable cause = failed.getCause() == null ? failed : failed.getCause();
        throw new IllegalStateException("the " + stage + " stage failed: " + rootMessage(cause), cause);
      }
    }
  }

  /**
   * Records emitted by the job's source operators so far; -1 if the REST API did not answer. Read per operator
   * ({@code <subtask>.Source__<name>.numRecordsOut}), not per vertex: a source chained to the operators after it
   * sends nothing over the network, so the vertex's {@code write-records} stays 0 however much it reads.
   */
  private long sourceRecords() {
    try {
      JsonNode job = get("/jobs/" + jobId);
      if (job == null) {
        return -1;
      }
      long sum = 0;
      for (JsonNode v : job.path("vertices")) {
        if (!v.path("name").asText().startsWith("Source:")) {
          continue;
        }
        String metrics = "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/metrics";
        JsonNode available = get(metrics);
        if (available == null) {
          return -1;
        }
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (JsonNode m : available) {
          String id = m.path("id").asText();
          int dot = id.indexOf('.');
          if (dot > 0 && id.startsWith("Source__", dot + 1) && id.endsWith(".numRecordsOut")) {
            ids.add(id);
          }
        }
        if (ids.isEmpty()) {
          continue; // not reported yet
        }
        JsonNode values = get(metrics + "?get=" + java.net.URLEncoder.encode(String.join(",", ids),
            java.nio.charset.StandardCharsets.UTF_8));
        if (values == null) {
          return -1;
        }
        for (JsonNode value : values) {
          sum += (long) Double.parseDouble(value.path("value").asText("0"));
        }
      }
      return sum;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1; // progress is a courtesy: the run goes on without it
    }
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + path))
        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (cause: " + root + ")";
  }
}
