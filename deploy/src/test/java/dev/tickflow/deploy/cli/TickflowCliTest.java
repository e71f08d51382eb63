package dev.tickflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class TickflowCliTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TickflowCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"up", "sql", "tail", "ingest", "produce", "replay", "backtest", "synth", "relay", "reset", "ohlc",
        "catalog", "catalog init", "catalog serve", "bench", "bench e2e", "topics", "topics create"}) {
      Run r = run((command + " --help").split(" "));
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: tickflow " + command);
    }
    assertThat(run("--help").out()).contains("up", "sql", "tail", "produce", "replay", "reset", "bench");
    assertThat(run("bench", "--help").out()).contains("jmh", "e2e");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no command                | ''                                               | name a command",
      "negative speed            | up --speed -1                                    | --speed must be 0 or positive",
      "bad interval              | up --checkpoint-interval soon                    | not a duration",
      "unknown option            | up --colour blue                                 | Unknown option",
      "sql without a stack       | sql --data-dir DIR 'SELECT 1'                    | start the platform with ./tickflow up",
      "sql bad format            | sql --data-dir DIR --format xml 'SELECT 1'       | --format must be table, csv or json",
      "sql session without stack | sql --data-dir DIR                               | start the platform with ./tickflow up",
      "history without a stack   | history BINANCE:XRP/ETH --from 2019-10-11T00:00:00Z --to 2019-10-11T00:10:00Z --data-dir DIR | start the platform with ./tickflow up",
      "history bad ticker        | history XRPETH --from 2019-10-11T00:00:00Z --to 2019-10-11T00:10:00Z | EXCHANGE:BASE/QUOTE",
      "history empty range       | history BINANCE:XRP/ETH --from 2019-10-11T00:10:00Z --to 2019-10-11T00:00:00Z | must be before --to",
      "history bad timeframe     | history BINANCE:XRP/ETH --from 2019-10-11T00:00:00Z --to 2019-10-11T00:10:00Z --timeframe 7m | timeframe '7m'",
      "reset without yes         | reset --data-dir DIR                             | add --yes to confirm",
      "catalog without command   | catalog                                          | name a subcommand",
      "catalog init no stack     | catalog init --data-dir DIR                      | start the platform with ./tickflow up",
      "catalog serve bad port    | catalog serve --data-dir DIR --port 70000        | --port must be 0..65535",
      "up bad catalog url        | up --catalog-jdbc-url postgres://x              | needs a JDBC URL",
      "produce missing file       | produce --file DIR/nope.csv                       | does not exist",
      "produce file no ticker     | produce --file DIR/trades.csv                     | --ticker is required",
      "produce bad ticker         | produce --ticker XRPETH                           | EXCHANGE:BASE/QUOTE",
      "produce bad time           | produce --from yesterday                          | ISO-8601 instant",
      "produce empty window       | produce --from 2019-10-11T02:00:00Z --until 2019-10-11T01:00:00Z | must be before",
      "produce unknown format     | produce --file DIR/trades.csv --ticker B:X/Y --format parquet | not supported",
      "replay without a catalog  | replay --catalog DIR/none.properties             | no catalog at",
      "replay bad format         | replay --catalog DIR/trades.csv --format xml     | --format must be text or json",
      "replay bad offset         | replay --catalog DIR/trades.csv --from-offset abc | is not an offset",
      "replay bad time           | replay --catalog DIR/trades.csv --from-time yesterday | is not an instant",
      "replay backwards          | replay --catalog DIR/trades.csv --from-offset 9 --to-offset 2 | is after --to-offset",
      "replay both bounds        | replay --catalog DIR/trades.csv --from-offset 9 --from-time 2019-10-11T00:00:00Z | not both",
      "backtest backwards        | backtest --from 2019-10-11T06:00:00Z --to 2019-10-11T00:00:00Z | is not before --to",
      "backtest bad ticker       | backtest --tickers XRPETH --from 2019-10-11T00:00:00Z --to 2019-10-11T06:00:00Z | EXCHANGE:BASE/QUOTE",
      "backtest no period        | backtest --tickers BINANCE:XRP/ETH                | Missing required options",
      "topics without command    | topics                                           | name a subcommand: create",
      "topics no partitions      | topics create --partitions 0                     | --partitions and --replication-factor must be at least 1",
      "bench without command     | bench                                            | name what to run",
      "bench unknown harness     | bench e2e throughput                             | unknown harness 'throughput'",
      "bench e2e without harness | bench e2e                                        | Missing required parameter"})
  void wrongArgumentsSayWhatIsWrongAndExitNonZero(String name, String args, String message) throws Exception {
    Files.writeString(dir.resolve("trades.csv"), "");
    String[] argv = args.isBlank() ? new String[0]
        : args.replace("DIR", dir.toString()).split(" (?=(?:[^']*'[^']*')*[^']*$)");
    for (int i = 0; i < argv.length; i++) {
      argv[i] = argv[i].replace("'", "");
    }
    Run r = run(argv);
    assertThat(r.exitCode()).as(name).isNotZero();
    assertThat(r.err()).as(name).contains(message);
  }

  @Test
  void resetDeletesAStoppedDataDirectoryOnly() throws Exception {
    Files.writeString(dir.resolve("catalog.properties"), "uri=x\n");
    Run r = run("reset", "--data-dir", dir.toString(), "--yes");
    assertThat(r.exitCode()).isZero();
    assertThat(dir).doesNotExist();

    Path notOurs = Files.createTempDirectory("not-tickflow");
    assertThat(run("reset", "--data-dir", notOurs.toString(), "--yes").err())
        .contains("does not look like a tickflow data directory");
    assertThat(notOurs).exists();
  }

  @Test
  void errorMessagesComeFromTheExceptionThatSaysSomething() {
    Exception flink = new RuntimeException("java.lang.IllegalStateException: boom",
        new IllegalArgumentException("SQL validation failed. From line 1, column 15: Object 'x' not found",
            new IllegalStateException("Object 'x' not found")));
    assertThat(TickflowCli.message(new ExecutionException(flink)))
        .isEqualTo("SQL validation failed. From line 1, column 15: Object 'x' not found");
    assertThat(TickflowCli.message(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
  }
}
