package dev.tickflow.ingestors.replay;

import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.schemas.Ticker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow produce}: produce recorded trades to {@code market_data.raw}. ({@code tickflow replay} re-runs a
 * Kafka range through the jobs for audit.)
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = {"Produce recorded trades into Kafka (market_data.raw), paced by their own timestamps.",
        "Without --file it produces the bundled 12 hours of Binance XRP/ETH trades."})
public final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--file", paramLabel = "PATH", description = "Recorded trades. Default: the bundled sample.")
  Path file;

  @Option(names = "--format", defaultValue = "binance-aggtrades-csv",
      description = "binance-aggtrades-csv (default), binance-trades-csv (Binance public-data files; header "
          + "optional, ms or µs times) or binance-ws-jsonl (one raw websocket message per line, trade or aggTrade).")
  String format;

  @Option(names = "--ticker", paramLabel = "EXCHANGE:BASE/QUOTE",
      description = "Instrument of the file's trades; required with --file. Default for the sample: BINANCE:XRP/ETH.")
  String ticker;

  @Option(names = "--speed", defaultValue = "0", paramLabel = "FACTOR",
      description = "Times real time, e.g. 60 replays an hour a minute; 0 = as fast as possible (default).")
  double speed;

  @Option(names = "--from", paramLabel = "INSTANT", description = "Skip trades before this time, e.g. 2019-10-11T02:00:00Z.")
  String from;

  @Option(names = "--until", paramLabel = "INSTANT", description = "Stop at trades from this time on (exclusive).")
  String until;


  @Mixin RawTopicOptions rawTopic;

  @Override
  public Integer call() throws Exception {
    ReplayConfig config = toConfig();
    try (Producer<String, byte[]> producer = rawTopic.producer()) {
      TradeReplay replay = new TradeReplay(config, producer);
      Thread main = Thread.currentThread();
      Thread hook = new Thread(() -> {
        replay.stop();
        try {
          main.join(10_000);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
      }, "replay-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      ReplaySummary summary = replay.run();
      spec.commandLine().getOut().println(summary);
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    return 0;
  }

  ReplayConfig toConfig() {
    if (file != null && !Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "--file " + file + " does not exist or is not readable");
    }
    if (file != null && ticker == null) {
      throw new ParameterException(spec.commandLine(), "--ticker is required with --file (e.g. BINANCE:BTC/USDT)");
    }
    try {
      Ticker t = ticker == null ? ReplayConfig.SAMPLE_TICKER : Ticker.parse(ticker);
      return new ReplayConfig(file, format, t, speed, instant("--from", from), instant("--until", until),
          rawTopic.bootstrapServers, rawTopic.topic, null);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private Instant instant(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(),
          option + " '" + text + "' is not an ISO-8601 instant such as 2019-10-11T02:00:00Z");
    }
  }
}
