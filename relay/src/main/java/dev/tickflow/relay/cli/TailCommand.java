package dev.tickflow.relay.cli;

import dev.tickflow.relay.RelayMessage;
import dev.tickflow.relay.RelaySubscriber;
import dev.tickflow.schemas.codec.EventJson;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.codec.PayloadException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow tail}: subscribe to relay topics and print each message as one line of JSON. */
@Command(name = "tail", mixinStandardHelpOptions = true,
    description = {"Subscribe to relay topics and print every message: TOPIC <tab> JSON.",
        "Topics are EXCHANGE:BASE/QUOTE|type, e.g. 'BINANCE:XRP/ETH|ohlc:1m'; a prefix matches all topics it begins."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:--count messages received (or interrupted)", "1:--timeout passed with no message",
        "2:wrong arguments"})
public final class TailCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "TOPIC_PREFIX",
      description = "Topic prefixes to subscribe to. Quote them: '|' is special to the shell.")
  List<String> prefixes = new ArrayList<>();

  @Option(names = "--all", description = "Subscribe to every topic.")
  boolean all;

  @Option(names = "--endpoint", defaultValue = "${env:TICKFLOW_RELAY_FANOUT:-tcp://127.0.0.1:5558}",
      description = "Relay fan-out endpoint (env TICKFLOW_RELAY_FANOUT; default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit after N messages.")
  Long count;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Exit with status 1 if no message arrives for this long, e.g. 30s.")
  Duration timeout;

  @Option(names = "--format", defaultValue = "json",
      description = "json (TOPIC <tab> the event as JSON) or table (TOPIC then field=value columns) "
          + "(default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--curve-server-key", paramLabel = "KEY",
      description = "The relay's CURVE public key (Z85), for a relay with CURVE on; needs --curve-keys.")
  String curveServerKey;

  @Option(names = "--curve-keys", paramLabel = "FILE",
      description = "This client's CURVE key pair (tickflow relay keygen); its public key must be on the relay's list.")
  java.nio.file.Path curveKeys;

  @Override
  public Integer call() throws java.io.IOException {
    if (!format.equals("json") && !format.equals("table")) {
      throw new ParameterException(spec.commandLine(), "--format must be json or table, not '" + format + "'");
    }
    if ((curveServerKey == null) != (curveKeys == null)) {
      throw new ParameterException(spec.commandLine(), "CURVE needs both --curve-server-key and --curve-keys");
    }
    dev.tickflow.relay.security.CurveClient curve;
    try {
      curve = curveKeys == null ? null : new dev.tickflow.relay.security.CurveClient(curveServerKey,
          dev.tickflow.relay.security.CurveKeyPair.load(curveKeys));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (prefixes.isEmpty() && !all) {
      throw new ParameterException(spec.commandLine(),
          "give at least one topic prefix (e.g. 'BINANCE:XRP/ETH|ohlc:1m') or --all");
    }
    if (count != null && count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> subscriptions = all ? List.of("") : prefixes;
    try (RelaySubscriber subscriber = new RelaySubscriber(endpoint, subscriptions, curve)) {
      spec.commandLine().getErr().println("tail: subscribed to " + subscriptions + " at " + endpoint);
      long received = 0;
      long lost = 0;
      Duration wait = timeout == null ? Duration.ofMillis(500) : timeout;
      while (count == null || received < count) {
        Optional<RelayMessage> message;
        try {
          message = subscriber.receive(wait);
        } catch (org.zeromq.ZMQException e) {
          if (e.getErrorCode() == org.zeromq.ZMQ.Error.ETERM.getCode()) {
            return 0; // stopped (Ctrl-C, SIGTERM): the shutdown hook closed the sockets under us
          }
          throw e;
        }
        if (message.isEmpty()) {
          if (timeout != null) {
            spec.commandLine().getErr().println("tail: no message within " + timeout);
            return 1;
          }
          if (Thread.currentThread().isInterrupted()) {
            return 0;
          }
          continue;
        }
        if (subscriber.losses().total() > lost) {
          // said on stderr, so stdout stays one message per line for whatever reads it
          spec.commandLine().getErr().println("tail: lost " + (subscriber.losses().total() - lost)
              + " message(s) on " + message.get().topic() + " before this one (too slow, or the relay restarted)");
          lost = subscriber.losses().total();
        }
        out.println(format.equals("table") ? table(message.get())
            : message.get().topic() + "\t" + render(message.get().payload()));
        out.flush();
        received++;
      }
    }
    return 0;
  }

  /** The topic, then each top-level field of the event as name=value; nested records stay JSON. */
  public static String table(RelayMessage m) {
    StringBuilder line = new StringBuilder(String.format("%-32s", m.topic()));
    try {
      var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(render(m.payload()));
      node.fields().forEachRemaining(f -> line.append("  ").append(f.getKey()).append('=')
          .append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      line.append("  ").append(render(m.payload()));
    }
    return line.toString();
  }

  static String render(byte[] payload) {
    try {
      return EventJson.toJson(EventTypes.decodeAny(payload));
    } catch (PayloadException e) {
      return "{\"@error\":\"" + e.kind() + "\",\"bytes\":\"" + HexFormat.of().formatHex(payload) + "\"}";
    }
  }
}
