package dev.tickflow.ingestors.synthetic;

import dev.tickflow.ingestors.replay.PacedTradeProducer;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.schemas.codec.EventJson;
import dev.tickflow.schemas.event.RawTrade;
import java.io.PrintWriter;
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

/** {@code tickflow synth}: synthetic trades for load tests, into market_data.raw or printed. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = {"Generate synthetic trades for load tests: many tickers, Poisson arrivals with bursts, an exact "
        + "decimal price walk, injected duplicates and bounded out-of-order delivery. Same seed, same trades."})
public final class SyntheticCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--tickers", defaultValue = "10", description = "Instruments SYNTH:S000/USD, ... (default: ${DEFAULT-VALUE}).")
  int tickers;

  @Option(names = "--rate", defaultValue = "1000", description = "Trades per second over all tickers, event time (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--burst", defaultValue = "1", description = "Rate multiplier for one second in ten; 1 = none (default: ${DEFAULT-VALUE}).")
  double burst;

  @Option(names = "--duplicates", defaultValue = "0", description = "Share of records that repeat an earlier trade, 0..0.5 (default: ${DEFAULT-VALUE}).")
  double duplicates;

  @Option(names = "--out-of-order", defaultValue = "0", paramLabel = "N", description = "Deliver trades up to N positions late (default: ${DEFAULT-VALUE}).")
  int outOfOrder;

  @Option(names = "--count", defaultValue = "100000", description = "Distinct trades to generate (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(names = "--seed", defaultValue = "42", description = "(default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--start", defaultValue = "2024-01-01T00:00:00Z", description = "Event time of the first trade (default: ${DEFAULT-VALUE}).")
  String start;

  @Option(names = "--speed", defaultValue = "1", description = "Times real time; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--dry-run", description = "Print the raw trades as JSON lines instead of producing them.")
  boolean dryRun;


  @Mixin RawTopicOptions rawTopic;

  @Override
  public Integer call() throws Exception {
    SyntheticTrades trades = new SyntheticTrades(config());
    if (dryRun) {
      PrintWriter out = spec.commandLine().getOut();
      while (trades.hasNext()) {
        out.println(EventJson.toJson(trades.next()));
      }
      out.flush();
    } else {
      if (!(speed >= 0)) {
        throw new ParameterException(spec.commandLine(), "--speed must be 0 or positive");
      }
      try (Producer<String, byte[]> producer = rawTopic.producer()) {
        PacedTradeProducer out = new PacedTradeProducer(producer, rawTopic.topic, speed);
        while (trades.hasNext()) {
          RawTrade t = trades.next();
          out.send(t);
        }
        out.flush();
      }
    }
    spec.commandLine().getErr().println("synth: " + trades.generated() + " trades, " + trades.duplicates()
        + " duplicates" + (dryRun ? " printed" : " produced to " + rawTopic.topic));
    return 0;
  }

  SyntheticConfig config() {
    Instant first;
    try {
      first = Instant.parse(start);
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), "--start '" + start + "' is not an ISO-8601 instant");
    }
    try {
      return new SyntheticConfig(tickers, rate, burst, duplicates, outOfOrder, count, seed, first);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
