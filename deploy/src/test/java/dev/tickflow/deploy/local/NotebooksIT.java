package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.deploy.cli.TickflowCli;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebooks in notebooks/ executed headless (nbclient, Debian's python3 packages) against a running local
 * stack, so they cannot rot: candle history through the SQL Gateway drawn as a chart, a live tail of the relay
 * (fed by synthetic trades in wall-clock time), signal attribution from the detectors' signals, and the report of
 * an audit replay run just before. The charts they save must be real, non-blank images.
 */
class NotebooksIT {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String MODULES = "import pandas, matplotlib, zmq, requests, nbclient, nbformat, ipykernel, avro";

  @TempDir Path tmp;

  @Test
  void everyNotebookRunsAgainstTheLocalStack() throws Exception {
    if (!pythonReady()) {
      assertThat(System.getenv("CI")).as("CI runs the notebooks: .ci/run installs Debian's python3 packages")
          .isNotEqualTo("true");
      Assumptions.abort("Debian's python3 with pandas, matplotlib, zmq, requests, nbclient, ipykernel and avro is "
          + "not installed (.ci/run installs them)");
    }
    Path detectors = Path.of("../docs/detectors").toAbsolutePath();
    Path trading = Path.of("../docs/trading.example.yaml").toAbsolutePath();
    Path data = tmp.resolve("data");
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(data).withTrading(detectors, trading))) {
      String bootstrap = stack.kafkaBootstrap();
      CatalogConfig catalog = stack.catalog();
      Instant until = Instant.parse("2019-10-11T06:00:00Z");
      Probes.replay(bootstrap, until);
      Probes.awaitCandle(catalog, SampleExpectations.lastFinalBar(until), Duration.ofSeconds(120));
      try (SqlRunner sql = new SqlRunner(catalog)) {
        // the replay compares with what live committed: let every decision and fill of these hours land first
        Probes.waitFor("signals, a decision for each, and the sample's 6 fills in the lake", Duration.ofSeconds(120),
            () -> {
              try {
                long signals = count(sql, "signals.signals");
                return signals > 0 && count(sql, "trading.decisions") == signals && count(sql, "trading.fills") >= 6;
              } catch (Exception e) {
                return false;
              }
            });
      }
      int replay = cli("replay", "--bootstrap-servers", bootstrap, "--catalog",
          data.resolve(CatalogConfig.FILE_NAME).toString(), "--detectors", detectors.toString(), "--trading",
          trading.toString());
      assertThat(replay).as("an audit run for the report notebook: live and replay agree").isZero();

      // live candles for the tail: synthetic trades stamped with the wall clock, 20 a second for a minute
      Thread synth = new Thread(() -> cli("synth", "--tickers", "1", "--rate", "20", "--speed", "1", "--count",
          "1200", "--start", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "--bootstrap-servers",
          bootstrap), "synthetic-trades");
      synth.setDaemon(true);
      synth.start();

      Path out = tmp.resolve("notebook-output");
      Path log = tmp.resolve("notebooks.log");
      ProcessBuilder run = new ProcessBuilder(PYTHON.toString(), "run_notebooks.py")
          .directory(Path.of("../notebooks").toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      run.environment().put("TICKFLOW_SQL_GATEWAY", stack.sqlGateway());
      run.environment().put("TICKFLOW_RELAY_FANOUT", stack.relayFanout());
      run.environment().put("TICKFLOW_TAIL_TOPIC", "SYNTH:S000/USD|ohlc:1m");
      run.environment().put("TICKFLOW_NOTEBOOK_OUT", out.toString());
      Process p = run.start();
      boolean done = p.waitFor(10, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
      }
      String output = Files.readString(log);
      assertThat(done).as("the notebooks finish within 10 minutes:\n" + output).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).contains("ok      01-candle-history.ipynb", "ok      02-live-tail.ipynb",
          "ok      03-signal-attribution.ipynb", "ok      04-audit-report.ipynb");

      for (String chart : List.of("candles.png", "attribution.png")) {
        assertNonBlankImage(out.resolve(chart));
      }
      for (String notebook : List.of("01-candle-history.ipynb", "02-live-tail.ipynb", "03-signal-attribution.ipynb",
          "04-audit-report.ipynb")) {
        String executed = Files.readString(out.resolve(notebook), StandardCharsets.UTF_8);
        assertThat(executed).as(notebook + " ran every cell without an error").doesNotContain("\"output_type\": \"error\"")
            .contains("\"execution_count\": 1");
      }
      // the stack ran paced (bar-by-bar watermarks), the replay in large steps: they agree since pattern alerts
      // leave CEP on the bar that completes them (OverlappingMatchFilter)
      assertThat(Files.readString(out.resolve("04-audit-report.ipynb"))).contains("IDENTICAL");
    }
  }

  private static void assertNonBlankImage(Path png) throws IOException {
    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as(png + " is an image").isNotNull();
    assertThat(image.getWidth()).isGreaterThan(100);
    assertThat(image.getHeight()).isGreaterThan(100);
    long distinct = 0;
    int first = image.getRGB(0, 0);
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        if (image.getRGB(x, y) != first) {
          distinct++;
        }
      }
    }
    assertThat(distinct).as(png + " has something drawn on it").isGreaterThan(500);
  }

  private static long count(SqlRunner sql, String table) throws Exception {
    return ((Number) sql.query("SELECT COUNT(*) FROM " + table).get(0).get(0)).longValue();
  }

  private static boolean pythonReady() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", MODULES).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static int cli(String... args) {
    StringWriter out = new StringWriter();
    int code = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute(args);
    System.out.println("NotebooksIT: tickflow " + String.join(" ", args) + " -> " + code + "\n" + out);
    return code;
  }
}
