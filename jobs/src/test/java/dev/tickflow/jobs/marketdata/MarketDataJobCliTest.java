package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The job's entry point on a cluster refuses wrong arguments before it builds anything. */
class MarketDataJobCliTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new MarketDataJob.Cli()).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void halfACurveSetupIsAUsageError() {
    assertThat(run("--relay-ingress", "tcp://relay:5557", "--relay-curve-keys", "/etc/tickflow/job.key")).isEqualTo(2);
    assertThat(err.toString()).contains("CURVE needs both --relay-curve-server-key and --relay-curve-keys");
  }

  @Test
  void aBadDurationOrStateBackendSaysWhich() {
    assertThat(run("--state-backend", "redis")).isEqualTo(2);
    assertThat(err.toString()).contains("state backend 'redis' is not one of hashmap, rocksdb");
  }

  @Test
  void aWatermarkStepThatDoesNotDivideAMinuteIsRefused() {
    assertThat(run("--watermark-step", "7ms")).isEqualTo(2);
    assertThat(err.toString()).contains("watermark step 7ms must be at least 1 ms and divide a minute");
  }

  @Test
  void aNegativeBufferTimeoutIsRefused() {
    assertThatThrownBy(() -> MarketDataJobConfig.builder("localhost:9092").bufferTimeout(java.time.Duration.ofMillis(-1))
        .build()).hasMessageContaining("buffer timeout cannot be negative");
    assertThat(run("--buffer-timeout", "-5ms")).isEqualTo(2);
    assertThat(err.toString()).contains("'-5ms' is not a duration");
  }

  @Test
  void theLatencySettingsDefaultToStepsOf100msAnd5msBuffers() {
    MarketDataJobConfig c = MarketDataJobConfig.defaults("localhost:9092", null, null);
    assertThat(c.watermarkStep()).hasMillis(100);
    assertThat(c.bufferTimeout()).hasMillis(5);
  }

  @Test
  void helpListsTheRelayCurveOptions() {
    StringWriter out = new StringWriter();
    assertThat(new CommandLine(new MarketDataJob.Cli()).setOut(new PrintWriter(out)).execute("--help")).isZero();
    assertThat(out.toString()).contains("--relay-curve-server-key").contains("--relay-curve-keys");
  }
}
