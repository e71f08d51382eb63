package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.CatalogConfig;
import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.io.RecordPlacedWatermarks;
import dev.tickflow.relay.RelayClient;
import dev.tickflow.relay.cli.DurationConverter;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.HistoryReadyNotification;
import dev.tickflow.schemas.event.HistoryRequest;
import dev.tickflow.schemas.event.HistoryStatus;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.flink.FlinkTypes;
import java.io.PrintWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow history}: asks the running stack for a range of a ticker's history through the relay, waits
 * for {@code HISTORY_READY}, and prints what the lake then holds: the trades, or candles built from them by the
 * same operators as the live candles.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Ask the running stack for history of one ticker over [--from, --to): the relay passes the "
        + "request to that exchange's ingestor, the trades land in market.trades, and once they are committed "
        + "the answer is printed as CSV: candles of --timeframe, or the trades with --trades.",
        "Needs an ingestor for the exchange on the relay's work queue (tickflow ingest --work-queue ...)."})
public final class HistoryCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin DataDirOption dataDir;

  @Parameters(paramLabel = "TICKER", description = "EXCHANGE:BASE/QUOTE, e.g. BINANCE:XRP/ETH.")
  String ticker;

  @Option(names = "--from", required = true, description = "Start, ISO-8601 instant (inclusive).")
  String from;

  @Option(names = "--to", required = true, description = "End, ISO-8601 instant (exclusive).")
  String to;

  @Option(names = "--timeframe", defaultValue = "1m",
      description = "1m, 5m, 15m, 1h, 4h or 1d (default: ${DEFAULT-VALUE}).")
  String timeframe;

  @Option(names = "--trades", description = "Print the trades instead of candles.")
  boolean trades;

  @Option(names = "--timeout", defaultValue = "5m", converter = DurationConverter.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Ticker t;
    Instant start;
    Instant end;
    Timeframe tf;
    try {
      t = Ticker.parse(ticker);
      tf = Timeframe.parse(timeframe);
      start = Instant.parse(from);
      end = Instant.parse(to);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!start.isBefore(end)) {
      throw new ParameterException(spec.commandLine(), "--from " + start + " must be before --to " + end);
    }
    Path stackFile = dataDir.path().resolve("stack.properties");
    Path catalogFile = dataDir.path().resolve(CatalogConfig.FILE_NAME);
    if (!Files.isReadable(stackFile) || !Files.isReadable(catalogFile)) {
      throw new ParameterException(spec.commandLine(), "no running stack in " + dataDir.path()
          + ": start the platform with ./tickflow up first, or pass --data-dir");
    }
    Properties stack = new Properties();
    try (Reader in = Files.newBufferedReader(stackFile, StandardCharsets.UTF_8)) {
      stack.load(in);
    }
    String requestId = "cli-" + UUID.randomUUID();
    HistoryRequest request = HistoryRequest.newBuilder().setRequestId(requestId).setClientId("tickflow-history")
        .setExchange(t.exchange()).setBase(t.base()).setQuote(t.quote())
        .setDataType(trades ? "trades" : tf.relayDataType()).setFromTime(start).setToTime(end)
        .setEventTime(Instant.now()).setIngestTime(Instant.now()).build();
    RelayClient relay = new RelayClient(stack.getProperty("relay.fanout"), stack.getProperty("relay.requests"), null);
    err.println("history: asked for " + t + " " + start + " .. " + end + " (request " + requestId + "); waiting up to "
        + timeout + " for HISTORY_READY");
    err.flush();
    HistoryReadyNotification ready;
    try {
      ready = relay.requestHistory(request, timeout).get();
    } catch (ExecutionException e) {
      String why = e.getCause() instanceof TimeoutException ? e.getCause().getMessage()
          : "the relay refused it: " + e.getCause().getMessage();
      err.println("history: " + why);
      err.flush();
      return 1;
    }
    err.println("history: " + ready.getStatus() + ", " + ready.getRowCount() + " trades in " + ready.getTable()
        + " at snapshot " + ready.getSnapshotId() + (ready.getMessage().isEmpty() ? "" : ": " + ready.getMessage()));
    err.flush();
    if (ready.getStatus() == HistoryStatus.FAILED && ready.getRowCount() == 0) {
      return 1;
    }
    List<List<Object>> rows;
    try (SqlRunner sql = new SqlRunner(CatalogConfig.load(catalogFile))) {
      rows = sql.query("SELECT trade_id, price, amount, side, event_time FROM market.trades /*+ OPTIONS('snapshot-id'='"
          + ready.getSnapshotId() + "') */ WHERE history_request_id = '" + requestId + "'");
    }
    if (trades) {
      out.println("trade_id,price,amount,side,event_time");
      rows.stream().sorted((a, b) -> instant(a.get(4)).compareTo(instant(b.get(4))))
          .forEach(r -> out.println(r.get(0) + "," + Decimals.format((BigDecimal) r.get(1)) + ","
              + Decimals.format((BigDecimal) r.get(2)) + "," + r.get(3) + "," + instant(r.get(4))));
    } else {
      out.println("open_time,open,high,low,close,volume,quote_volume,trade_count,taker_buy_volume,"
          + "taker_buy_quote_volume,vwap");
      candles(t, tf, rows).values().forEach(out::println);
    }
    out.flush();
    return ready.getStatus() == HistoryStatus.OK ? 0 : 1;
  }

  /** The trades through the live path's own candle operators, bounded: the same bars the live job builds. */
  private static Map<Long, String> candles(Ticker t, Timeframe tf, List<List<Object>> rows) throws Exception {
    List<SourceRecord> records = new ArrayList<>();
    var codec = EventTypes.codec(RawTrade.class);
    rows.stream().sorted((a, b) -> instant(a.get(4)).compareTo(instant(b.get(4)))).forEach(r -> {
      Instant time = instant(r.get(4));
      RawTrade raw = RawTrade.newBuilder().setExchange(t.exchange()).setSymbol(t.symbol())
          .setVenueSymbol(t.base() + t.quote()).setTradeId((String) r.get(0))
          .setPrice(Decimals.format((BigDecimal) r.get(1))).setAmount(Decimals.format((BigDecimal) r.get(2)))
          .setSide(Side.valueOf((String) r.get(3))).setEventTime(time).setIngestTime(time).setFormat("lake")
          .setInfo(Map.of()).build();
      records.add(new SourceRecord("market.trades", 0, records.size(), time.toEpochMilli(), time.toEpochMilli(),
          null, codec.encode(raw)));
    });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    DataStream<SourceRecord> raw = env.fromData(records, FlinkTypes.of(SourceRecord.class))
        .assignTimestampsAndWatermarks(WatermarkStrategy.<SourceRecord>forGenerator(
            ctx -> new RecordPlacedWatermarks<>(Duration.ZERO)).withTimestampAssigner((r, ts) -> r.eventTime));
    String label = tf.label();
    DataStream<String> lines = MarketDataJob.candleGraph(raw, MarketDataJobConfig.boundedRun()).finalCandles()
        .filter(c -> c.getTimeframe().equals(label)).map(OhlcCommand::csv, Types.STRING);
    TreeMap<Long, String> bars = new TreeMap<>();
    try (var it = lines.executeAndCollect("tickflow history")) {
      while (it.hasNext()) {
        String line = it.next();
        bars.put(Long.parseLong(line.substring(0, line.indexOf(','))), line);
      }
    }
    return bars;
  }

  private static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof java.time.LocalDateTime l) {
      return l.toInstant(java.time.ZoneOffset.UTC);
    }
    return ((java.time.OffsetDateTime) value).toInstant();
  }
}
