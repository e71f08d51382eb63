package dev.tickflow.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;

/** A bounded job's progress as the replay prints it: records its sources read, share of the expected, rate. */
class ReplayProgressTest {

  @Test
  void aRunningJobReportsRecordsShareAndRateUntilItEnds() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Configuration conf = new Configuration();
    conf.set(RestOptions.PORT, port);
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(200)); // as AuditReplay sets it
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.setParallelism(1);
    // 3,000 records at 1,000 a second: a run of about three seconds, paced by the source itself
    env.fromSource(new DataGeneratorSource<>(i -> i, 3_000, RateLimiterStrategy.perSecond(1_000), Types.LONG),
            WatermarkStrategy.noWatermarks(), "numbers")
        .map(i -> i + 1) // chained to the source: nothing leaves its vertex over the network
        .sinkTo(new DiscardingSink<>());
    JobClient job = env.executeAsync("progress");
    StringWriter lines = new StringWriter();

    long read = new ReplayProgress("http://127.0.0.1:" + port, job.getJobID().toHexString(), "numbers",
        new ReplayProgress.Expected(3_000), new PrintWriter(lines), Duration.ofMillis(400)).awaitEnd(job);

    assertThat(lines.toString()).containsPattern("numbers: [\\d,]+ records read \\(\\d+% of ~3,000\\), [\\d,]+/s")
        .containsPattern("numbers: [1-9][\\d,]* records read").contains("numbers: done in");
    assertThat(read).isBetween(1L, 3_000L);
  }
}
