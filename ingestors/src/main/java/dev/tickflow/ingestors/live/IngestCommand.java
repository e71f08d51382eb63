package dev.tickflow.ingestors.live;

import dev.tickflow.ingestors.binance.BinanceExchange;
import dev.tickflow.ingestors.binance.BinanceTradeStream;
import dev.tickflow.ingestors.exchange.Market;
import dev.tickflow.ingestors.replay.PacedTradeProducer;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventJson;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tickflow ingest}: live trades from an exchange into {@code market_data.raw}. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Ingest live trades from an exchange into market_data.raw (or print them with --dry-run). "
        + "Gaps in the venue's trade ids are filled over REST; dropped connections are reopened.",
        "Exchanges: binance. Needs network access to the exchange (or --rest-url/--ws-url of a stand-in)."})
public final class IngestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--exchange", defaultValue = "binance", description = "(default: ${DEFAULT-VALUE})")
  String exchange;

  @Option(names = "--symbols", split = ",", required = true, paramLabel = "BASE/QUOTE",
      description = "Unified symbols, comma-separated, e.g. BTC/USDT,ETH/USDT.")
  List<String> symbols = new ArrayList<>();

  @Option(names = "--rest-url", defaultValue = "${env:TICKFLOW_BINANCE_REST_URL:-https://api.binance.com}",
      description = "REST base URL (default: ${DEFAULT-VALUE}).")
  URI restUrl;

  @Option(names = "--ws-url", defaultValue = "${env:TICKFLOW_BINANCE_WS_URL:-wss://stream.binance.com:9443}",
      description = "Websocket base URL (default: ${DEFAULT-VALUE}).")
  URI wsUrl;

  @Option(names = "--dry-run", description = "Print the raw trades as JSON lines instead of producing them.")
  boolean dryRun;

  @Option(names = "--limit", paramLabel = "N", description = "Stop after N trades.")
  Long limit;


  @Mixin RawTopicOptions rawTopic;

  @Override
  public Integer call() throws Exception {
    if (!exchange.toLowerCase(Locale.ROOT).equals("binance")) {
      throw new ParameterException(spec.commandLine(), "exchange '" + exchange + "' is not supported yet; supported: binance");
    }
    if (limit != null && limit <= 0) {
      throw new ParameterException(spec.commandLine(), "--limit must be positive");
    }
    BinanceExchange binance = new BinanceExchange(restUrl, Duration.ofSeconds(30));
    List<Market> markets = new ArrayList<>();
    for (String symbol : symbols) {
      markets.add(binance.market(symbol.trim().toUpperCase(Locale.ROOT)));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong count = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    Producer<String, byte[]> producer = dryRun ? null
        : rawTopic.producer();
    PacedTradeProducer kafka = producer == null ? null : new PacedTradeProducer(producer, rawTopic.topic, 0);

    BinanceTradeStream.Listener listener = new BinanceTradeStream.Listener() {
      @Override
      public void onTrade(RawTrade trade) {
        if (done.getCount() == 0) {
          return;
        }
        try {
          if (kafka == null) {
            out.println(EventJson.toJson(trade));
            out.flush();
          } else {
            kafka.send(trade); // blocks when the producer's buffer is full: back-pressure, not drops
          }
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          done.countDown(); // stop reading rather than skip
          return;
        }
        if (limit != null && count.incrementAndGet() >= limit) {
          done.countDown();
        }
      }

      @Override
      public void onMalformed(String message, String reason) {
        err.println("ingest: dead letter: " + reason);
        err.flush();
        if (kafka != null) {
          try {
            Instant now = Instant.now();
            kafka.deadLetter(Topic.DEADLETTER.topicName(), "BINANCE", DeadLetter.newBuilder()
                .setPayload(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8))).setReason(reason)
                .setErrorType("MALFORMED_MESSAGE").setStage("ingest-binance").setSourceTopic("ws:" + wsUrl)
                .setSourcePartition(0).setSourceOffset(-1).setEventTime(now).setIngestTime(now).build());
          } catch (Exception e) {
            failure.compareAndSet(null, e);
            done.countDown();
          }
        }
      }

      @Override
      public void onGap(BinanceTradeStream.FeedGap gap) {
        err.println("ingest: gap in " + gap.ticker() + " ids " + gap.fromId() + ".." + gap.toId() + ": "
            + (gap.repaired() ? "repaired over REST" : "NOT repaired (" + gap.recovered() + " recovered): " + gap.reason()));
        err.flush();
      }
    };
    Thread hook = new Thread(done::countDown, "ingest-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (BinanceTradeStream stream = new BinanceTradeStream(wsUrl, binance, markets, listener,
        Duration.ofMillis(500), Duration.ofSeconds(30))) {
      stream.start();
      err.println("ingest: " + symbols + " from " + wsUrl + (dryRun ? " (dry run)" : " into " + rawTopic.topic));
      err.flush();
      done.await();
    } finally {
      if (producer != null) {
        try {
          kafka.flush();
        } catch (Exception e) {
          failure.compareAndSet(null, e);
        }
        producer.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is stopping: the hook already ran
      }
    }
    if (failure.get() != null) {
      err.println("ingest: stopped reading after " + count.get() + " trades, nothing skipped: "
          + failure.get().getMessage());
      return 1;
    }
    return 0;
  }
}
