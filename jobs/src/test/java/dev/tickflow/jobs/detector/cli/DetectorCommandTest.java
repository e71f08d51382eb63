package dev.tickflow.jobs.detector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** tickflow detector validate/deploy/remove without a broker: what they say and how they exit. */
class DetectorCommandTest {

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new DetectorCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println(e.getMessage());
          return 1;
        }).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validateDescribesAValidFileAndListsTheProblemsOfAnInvalidOne() throws Exception {
    Run ok = run("validate", "../docs/detectors/momentum.yaml", "../docs/detectors/breakout.yaml");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("momentum.yaml: valid, xrp-momentum@1 on BINANCE:XRP/ETH 1m: 3 indicator(s), "
        + "5 rule(s), thresholds long 3 / short 3, cooldown PT15M").contains("breakout.yaml: valid, eth-breakout@1");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "id: x\nversion: 1\ntickers: [BINANCE:XRP/ETH]\n"
        + "timeframe: 1m\nrules: [{when: {rising_closes: 2}, weight: 1}]\nthresholds: {long: -1}\n");
    Run invalid = run("validate", "../docs/detectors/momentum.yaml", bad.toString());
    assertThat(invalid.code()).isEqualTo(1);
    assertThat(invalid.err()).contains("bad.yaml: invalid, 1 problem(s):")
        .contains("  - thresholds.long must be a positive number, not -1");
  }

  @Test
  void wrongArgumentsExitTwo() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("validate").code()).isEqualTo(2);
    Run missing = run("validate", dir.resolve("nope.yaml").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.yaml does not exist");
    Run badId = run("remove", "no spaces please");
    assertThat(badId.code()).isEqualTo(2);
    assertThat(badId.err()).contains("is not a detector id");
  }

  @Test
  void anInvalidConfigIsNotDeployedAndAnUnreachableBrokerIsSaidPlainly() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "id: x\n");
    Run refused = run("deploy", bad.toString(), "--bootstrap-servers", "127.0.0.1:1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("invalid, not deployed");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Run down = run("deploy", "../docs/detectors/momentum.yaml", "--bootstrap-servers", "127.0.0.1:" + closedPort,
        "--timeout", "2");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("did not take the record within 2 s").contains("./tickflow up");
  }
}
