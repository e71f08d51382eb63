package dev.tickflow.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What {@code flink run}, {@code flink list}, {@code flink cancel} and {@code flink stop} do, over a session
 * cluster's REST API (the web UI's port): upload a job jar and run it, list jobs, cancel, stop or cancel with a
 * savepoint and wait for it. Errors carry the cluster's own message.
 */
public final class FlinkRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param base e.g. {@code http://127.0.0.1:8081} */
  public FlinkRestClient(String base) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    URI uri = URI.create(b);
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
      throw new IllegalArgumentException("cluster address '" + base + "' is not an http(s) URL such as "
          + "http://127.0.0.1:8081");
    }
    this.base = uri;
  }

  public URI base() {
    return base;
  }

  /** One job as {@code GET /jobs/overview} describes it. */
  public record JobSummary(String id, String name, String state, Instant started, long durationMillis) {
    /** Whether the job is over: FINISHED, CANCELED or FAILED (a restarting job is not). */
    public boolean ended() {
      return List.of("FINISHED", "CANCELED", "FAILED").contains(state);
    }
  }

  /** How a run is asked for: entry class, program arguments, parallelism, where to restore from. */
  public record RunRequest(String entryClass, List<String> args, int parallelism, String savepointPath,
      boolean allowNonRestoredState) {
    public RunRequest {
      args = List.copyOf(args);
    }
  }

  /** The cluster's overview: task managers and slots (free ones included). */
  public record Overview(int taskManagers, int slotsTotal, int slotsAvailable, String flinkVersion) {}

  public Overview overview() throws IOException {
    JsonNode o = get("/overview");
    return new Overview(o.path("taskmanagers").asInt(), o.path("slots-total").asInt(),
        o.path("slots-available").asInt(), o.path("flink-version").asText());
  }

  /** Uploads a job jar ({@code POST /jars/upload}); returns the jar id the cluster gave it. */
  public String uploadJar(Path jar) throws IOException {
    String boundary = "tickflow-" + UUID.randomUUID();
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    JsonNode r = send(HttpRequest.newBuilder(base.resolve("/jars/upload"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
            HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
        .build(), "upload " + jar.getFileName());
    String filename = r.path("filename").asText();
    if (filename.isEmpty()) {
      throw new IOException("the cluster accepted the upload but named no jar: " + r);
    }
    return Path.of(filename).getFileName().toString();
  }

  /** Runs an uploaded jar ({@code POST /jars/{id}/run}); returns the job id. */
  public String run(String jarId, RunRequest request) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("entryClass", request.entryClass());
    body.putArray("programArgsList").addAll(request.args().stream().map(JSON.getNodeFactory()::textNode).toList());
    if (request.parallelism() > 0) {
      body.put("parallelism", request.parallelism());
    }
    if (request.savepointPath() != null) {
      body.put("savepointPath", request.savepointPath());
      body.put("allowNonRestoredState", request.allowNonRestoredState());
    }
    JsonNode r = send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofMinutes(5))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), "run " + request.entryClass());
    return r.path("jobid").asText();
  }

  public void deleteJar(String jarId) throws IOException {
    send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId)).DELETE().timeout(Duration.ofSeconds(30)).build(),
        "delete jar " + jarId);
  }

  public List<JobSummary> jobs() throws IOException {
    List<JobSummary> jobs = new ArrayList<>();
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      jobs.add(new JobSummary(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(),
          Instant.ofEpochMilli(j.path("start-time").asLong()), j.path("duration").asLong()));
    }
    return jobs;
  }

  /** The job's state, e.g. RUNNING, FINISHED, CANCELED, FAILED. */
  public String state(String jobId) throws IOException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Cancels without a savepoint ({@code PATCH /jobs/{id}?mode=cancel}). */
  public void cancel(String jobId) throws IOException {
    send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
        "cancel " + jobId);
  }

  /**
   * Stops the job with a savepoint ({@code POST /jobs/{id}/stop}: sources stop, a final savepoint is taken, sinks
   * commit) and waits for it; returns the savepoint's location.
   *
   * @param directory where the savepoint goes; null: the cluster's {@code execution.checkpointing.savepoint-dir}
   * @param drain emit a final MAX_WATERMARK first (ends event time: windows and timers fire as if the stream ended)
   */
  public String stopWithSavepoint(String jobId, String directory, boolean drain, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    if (directory != null) {
      body.put("targetDirectory", directory);
    }
    body.put("drain", drain);
    return savepoint(jobId, "/stop", body, "stop " + jobId, timeout);
  }

  /** Takes a savepoint and cancels the job ({@code POST /jobs/{id}/savepoints} with cancel-job); returns it. */
  public String cancelWithSavepoint(String jobId, String directory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    if (directory != null) {
      body.put("target-directory", directory);
    }
    body.put("cancel-job", true);
    return savepoint(jobId, "/savepoints", body, "savepoint " + jobId, timeout);
  }

  /** Triggers a savepoint operation and waits for the savepoint it writes. */
  private String savepoint(String jobId, String operation, ObjectNode body, String what, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode r = send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + operation))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), what);
    return awaitSavepoint(jobId, r.path("request-id").asText(), timeout);
  }

  private String awaitSavepoint(String jobId, String triggerId, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode r = get("/jobs/" + jobId + "/savepoints/" + triggerId);
      if ("COMPLETED".equals(r.path("status").path("id").asText())) {
        JsonNode operation = r.path("operation");
        if (operation.has("failure-cause")) {
          throw new IOException("savepoint of job " + jobId + " failed: "
              + operation.path("failure-cause").path("stack-trace").asText().lines().findFirst().orElse("?"));
        }
        return operation.path("location").asText();
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("savepoint of job " + jobId + " not done after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250); // polling the cluster's status, not synchronising threads
    }
  }

  /** Whether the REST endpoint answers at all. */
  public boolean reachable() {
    try {
      overview();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private JsonNode get(String path) throws IOException {
    return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(), "GET " + path);
  }

  private JsonNode send(HttpRequest request, String what) throws IOException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException("no Flink cluster answers at " + base + " (" + what + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + what, e);
    }
    JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    if (response.statusCode() >= 300) {
      throw new IOException(what + " failed (HTTP " + response.statusCode() + "): " + errors(body));
    }
    return body;
  }

  /**
   * Flink answers {"errors": [...]}, each a message and often a stack trace: the first line and the deepest
   * "Caused by" say what happened (a failed job main's own message is at the bottom).
   */
  private static String errors(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : body.path("errors")) {
      List<String> lines = e.asText().lines().map(String::trim).toList();
      if (lines.isEmpty()) {
        continue;
      }
      out.add(lines.get(0));
      lines.stream().filter(l -> l.startsWith("Caused by:")).reduce((a, b) -> b)
          .filter(l -> !l.equals(lines.get(0))).ifPresent(out::add);
    }
    return out.isEmpty() ? body.toString() : String.join(" | ", out);
  }
}
