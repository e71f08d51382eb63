package dev.tickflow.deploy.local;

/**
 * Where the local stack's market-data job runs: an in-process MiniCluster ({@link LocalFlink}) or a standalone
 * session cluster of separate processes ({@link ClusterFlink}, {@code tickflow up --cluster}). Either resumes
 * from the last savepoint or retained checkpoint and stops with a savepoint.
 */
public interface FlinkRuntime extends AutoCloseable {

  /** The web UI, also the REST API: {@code http://127.0.0.1:PORT}. */
  String webUi();

  /** The REST port: where clients such as the SQL Gateway submit jobs. */
  default int restPort() {
    return java.net.URI.create(webUi()).getPort();
  }

  /** The savepoint or checkpoint this run resumed from, or null for a fresh start. */
  String restoredFrom();

  /** Stops the job with a savepoint (the next start resumes from it), then the runtime. */
  @Override
  void close();
}
