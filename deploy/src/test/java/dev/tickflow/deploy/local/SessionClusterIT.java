package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import dev.tickflow.deploy.cluster.FlinkRestClient;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.Trade;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The job jar on a real Flink session cluster: {@code tickflow up --cluster} starts a JobManager and a TaskManager
 * as their own JVMs and submits the shaded jar over REST. Two hours of trades go through; {@code tickflow jobs
 * stop} takes a savepoint; the sample is replayed from the start and two hours further (duplicates and new
 * trades) while no job runs; {@code tickflow submit --savepoint} resumes. Iceberg and Kafka (read_committed) then
 * hold every trade and bar exactly once, and the bars equal Binance's klines.
 */
class SessionClusterIT {

  private static final Instant FIRST_UNTIL = Instant.parse("2019-10-11T02:00:00Z");
  private static final Instant SECOND_UNTIL = Instant.parse("2019-10-11T04:00:00Z");

  @TempDir Path tmp;

  @Test
  void theJobJarRunsOnASessionClusterAndResumesFromASavepointWithEveryRowOnce() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(data).withSessionCluster())) {
      ClusterFlink flink = (ClusterFlink) stack.flink();
      String rest = flink.webUi();
      assertThat(flink.cluster().alive()).as("JobManager and TaskManager processes").isTrue();
      assertThat(cli("jobs", "list", "--cluster", rest).out).contains(flink.jobId()).contains("RUNNING");
      String bootstrap = stack.kafkaBootstrap();
      CatalogConfig catalog = stack.catalog();

      Probes.replay(bootstrap, FIRST_UNTIL);
      Probes.awaitCandle(catalog, SampleExpectations.lastFinalBar(FIRST_UNTIL), Duration.ofSeconds(120));

      Result stopped = cli("jobs", "stop", flink.jobId(), "--cluster", rest);
      assertThat(stopped.code).as(stopped.err).isZero();
      String savepoint = stopped.lastLine();
      assertThat(savepoint).contains("savepoint-");
      assertThat(Files.exists(Path.of(java.net.URI.create(savepoint)).resolve("_metadata"))).isTrue();
      assertThat(new FlinkRestClient(rest).state(flink.jobId())).isEqualTo("FINISHED");

      Probes.replay(bootstrap, SECOND_UNTIL); // the first two hours again and two new ones, while nothing runs

      List<String> submit = new ArrayList<>(List.of("submit", "market-data", "--cluster", rest,
          "--savepoint", savepoint, "--"));
      submit.addAll(flink.jobArgs());
      Result submitted = cli(submit.toArray(String[]::new));
      assertThat(submitted.code).as(submitted.err).isZero();
      String resumed = submitted.lastLine();
      assertThat(resumed).matches("[0-9a-f]{32}").isNotEqualTo(flink.jobId());
      Probes.waitFor("the resubmitted job running", Duration.ofSeconds(60),
          () -> cli("jobs", "list", "--cluster", rest).out.contains(resumed + "  RUNNING"));

      long lastBar = SampleExpectations.lastFinalBar(SECOND_UNTIL);
      Probes.awaitCandle(catalog, lastBar, Duration.ofSeconds(180));
      long expectedTrades = SampleExpectations.tradesBefore(SECOND_UNTIL);
      try (SqlRunner sql = new SqlRunner(catalog)) {
        Probes.waitFor(expectedTrades + " trades committed", Duration.ofSeconds(60), () -> {
          try {
            return ((Number) sql.query("SELECT COUNT(*) FROM market.trades").get(0).get(0)).longValue()
                >= expectedTrades;
          } catch (Exception e) {
            return false;
          }
        });
        List<List<Object>> trades = sql.query("SELECT COUNT(*), COUNT(DISTINCT trade_id) FROM market.trades");
        assertThat(((Number) trades.get(0).get(0)).longValue()).as("trades in Iceberg").isEqualTo(expectedTrades);
        assertThat(((Number) trades.get(0).get(1)).longValue()).as("distinct trades").isEqualTo(expectedTrades);

        SampleExpectations.assertLakeBarsEqualKlines(sql, lastBar);
      }
      List<String> kafkaTrades = Probes.readCommitted(bootstrap, Topic.MARKET_DATA_TRADES.topicName()).stream()
          .map(r -> EventTypes.codec(Trade.class).decode(r.value()).getTradeId()).toList();
      assertThat(kafkaTrades).as("trades in Kafka across the stop and resubmit").doesNotHaveDuplicates()
          .hasSize((int) expectedTrades);
      assertThat(Probes.readCommitted(bootstrap, Topic.MARKET_DATA_OHLC.topicName()).stream()
          .map(r -> EventTypes.codec(Candle.class).decode(r.value()))
          .filter(Candle::getIsFinal)
          .map(c -> c.getTimeframe() + "@" + c.getOpenTime().toEpochMilli() + "#" + c.getRevision()))
          .as("final bars in Kafka").doesNotHaveDuplicates();

      Result all = cli("jobs", "list", "--all", "--cluster", rest);
      assertThat(all.out).contains(flink.jobId() + "  FINISHED").contains(resumed + "  RUNNING");

      // wrong arguments say what is wrong and exit 2; a failing job main fails the submission with its reason
      assertThat(cli("submit", "nope", "--cluster", rest).err).contains("unknown job 'nope'");
      assertThat(cli("jobs", "stop", "not-a-job", "--cluster", rest).code).isEqualTo(2);
      assertThat(cli("jobs", "cancel", flink.jobId(), "--cluster", rest).err).contains("already ended (FINISHED)");
      Result badJobArgs = cli("submit", "market-data", "--cluster", rest, "--", "--no-such-option");
      assertThat(badJobArgs.code).isEqualTo(1);
      assertThat(badJobArgs.err).contains("Unknown option: '--no-such-option'");
    }
    assertThat(Files.readString(data.resolve("flink-cluster").resolve(LocalFlink.LATEST_SAVEPOINT)))
        .as("closing the stack stopped the resubmitted job with a savepoint").contains("savepoint-");
    assertThat(cli("jobs", "list", "--cluster", "http://127.0.0.1:1").err).contains("no Flink cluster answers");
  }

  private record Result(int code, String out, String err) {
    String lastLine() {
      List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
      return lines.get(lines.size() - 1).trim();
    }
  }

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TickflowCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
