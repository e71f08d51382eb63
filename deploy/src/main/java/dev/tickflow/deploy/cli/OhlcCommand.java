package dev.tickflow.deploy.cli;

import dev.tickflow.ingestors.ReadResult;
import dev.tickflow.ingestors.TradeFormat;
import dev.tickflow.ingestors.TradeFormats;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.jobs.marketdata.MarketDataJob;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.jobs.io.RecordPlacedWatermarks;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.RawTrade;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tickflow ohlc}: candles from a file of recorded trades, as CSV, through the very operators of the
 * market-data job (normalizer, deduplicator, aggregator, rollups) on an in-process Flink, with the watermark
 * following the file's trade times. For checking tickflow against an exchange's own klines.
 */
@Command(name = "ohlc", mixinStandardHelpOptions = true,
    description = {"Print OHLC candles of a recorded trade file as CSV, built by the market-data job's own "
        + "operators (empty bars included, flat at the previous close, as Binance publishes klines).",
        "Columns: open_time (epoch ms), open, high, low, close, volume, quote_volume, trade_count, "
            + "taker_buy_volume, taker_buy_quote_volume, vwap."})
public final class OhlcCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "Recorded trades.")
  Path input;

  @Option(names = "--format", defaultValue = "binance-aggtrades-csv",
      description = "binance-aggtrades-csv (default), binance-trades-csv or binance-ws-jsonl.")
  String format;

  @Option(names = "--ticker", required = true, paramLabel = "EXCHANGE:BASE/QUOTE",
      description = "Instrument of the file's trades, e.g. BINANCE:XRP/ETH.")
  String ticker;

  @Option(names = "--timeframe", defaultValue = "1m", description = "1m, 5m, 15m, 1h, 4h or 1d (default: ${DEFAULT-VALUE}).")
  String timeframe;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Timeframe tf;
    try {
      tf = Timeframe.parse(timeframe);
      TradeFormats.forName(format, Ticker.parse(ticker)); // says what is wrong with either
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isRegularFile(input)) {
      throw new ParameterException(spec.commandLine(), "--input " + input + " is not a readable file");
    }
    err.println("ohlc: reading " + input + " on an in-process Flink ...");
    err.flush();

    // The file streams through Flink (one split: lines stay in order), so its size is not bounded by memory.
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
    FileSource<String> file = FileSource.forRecordStreamFormat(new TextLineInputFormat(),
        new org.apache.flink.core.fs.Path(input.toAbsolutePath().toUri())).build();
    SingleOutputStreamOperator<SourceRecord> records = env
        .fromSource(file, WatermarkStrategy.noWatermarks(), "file " + input.getFileName())
        .process(new LinesToRecords(format, ticker, "file:" + input.getFileName(), Instant.now()))
        .name("LinesToRecords");
    DataStream<SourceRecord> raw = records.assignTimestampsAndWatermarks(
        WatermarkStrategy.<SourceRecord>forGenerator(ctx -> new RecordPlacedWatermarks<>(Duration.ZERO))
            .withTimestampAssigner((r, ts) -> r.eventTime));
    MarketDataJob.CandleGraph graph = MarketDataJob.candleGraph(raw, MarketDataJobConfig.boundedRun());
    // One collected stream: candles of the asked timeframe as CSV lines keyed by open time, rejects, skipped lines.
    String label = tf.label();
    DataStream<String> lines = graph.finalCandles()
        .filter(c -> c.getTimeframe().equals(label))
        .map(OhlcCommand::csv, Types.STRING)
        .union(graph.deadLetters().map(d -> "!" + d.getErrorType() + ": " + d.getReason(), Types.STRING))
        .union(records.getSideOutput(LinesToRecords.SKIPPED));
    TreeMap<Long, String> rows = new TreeMap<>();
    long rejected = 0;
    long skipped = 0;
    try (var it = lines.executeAndCollect("tickflow ohlc")) {
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("!")) {
          rejected++;
          err.println("ohlc: dead letter: " + line.substring(1));
        } else if (line.startsWith("?")) {
          skipped++;
          err.println("ohlc: " + line.substring(1));
        } else {
          rows.put(Long.parseLong(line.substring(0, line.indexOf(','))), line);
        }
      }
    }
    if (rows.isEmpty() && rejected == 0) {
      err.println("ohlc: no trades in " + input + (skipped > 0 ? " (" + skipped + " lines skipped)" : ""));
      return 1;
    }
    out.println("open_time,open,high,low,close,volume,quote_volume,trade_count,taker_buy_volume,"
        + "taker_buy_quote_volume,vwap");
    rows.values().forEach(out::println);
    out.flush();
    err.println("ohlc: " + rows.size() + " " + label + " candles" + (rejected > 0 ? ", " + rejected + " trades rejected" : "")
        + (skipped > 0 ? ", " + skipped + " malformed lines skipped" : ""));
    err.flush();
    return 0;
  }

  /**
   * Lines of a recorded file as raw-topic records, numbered from 1 (the number is the record's offset, carried
   * into dead letters). A header on line 1 and blank lines are passed over; a line the format cannot read goes
   * to {@link #SKIPPED} with the reason.
   */
  static final class LinesToRecords extends ProcessFunction<String, SourceRecord> {
    private static final long serialVersionUID = 1L;
    static final OutputTag<String> SKIPPED = new OutputTag<>("skipped-lines", Types.STRING);

    private final String format;
    private final String ticker;
    private final String source;
    private final Instant ingestTime;
    private transient TradeFormat reader;
    private transient EventCodec<RawTrade> codec;
    private long lineNo;

    LinesToRecords(String format, String ticker, String source, Instant ingestTime) {
      this.format = format;
      this.ticker = ticker;
      this.source = source;
      this.ingestTime = ingestTime;
    }

    @Override
    public void open(OpenContext openContext) {
      reader = TradeFormats.forName(format, Ticker.parse(ticker));
      codec = EventTypes.codec(RawTrade.class);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<SourceRecord> out) {
      lineNo++;
      if (line.isBlank() || (lineNo == 1 && reader.isHeader(line))) {
        return;
      }
      ReadResult r = reader.read(line, lineNo, ingestTime);
      if (r instanceof ReadResult.Parsed p) {
        long t = p.trade().getEventTime().toEpochMilli();
        out.collect(new SourceRecord(source, 0, lineNo, t, t, null, codec.encode(p.trade())));
      } else if (r instanceof ReadResult.Malformed m) {
        ctx.output(SKIPPED, "?line " + lineNo + " skipped: " + m.reason());
      }
    }
  }

  static String csv(Candle c) {
    return c.getOpenTime().toEpochMilli() + "," + Decimals.format(c.getOpen()) + "," + Decimals.format(c.getHigh())
        + "," + Decimals.format(c.getLow()) + "," + Decimals.format(c.getClose()) + ","
        + Decimals.format(c.getVolume()) + "," + Decimals.format(c.getQuoteVolume()) + "," + c.getTradeCount() + ","
        + Decimals.format(c.getTakerBuyVolume()) + "," + Decimals.format(c.getTakerBuyQuoteVolume()) + ","
        + (c.getVwap() == null ? "" : Decimals.format(c.getVwap()));
  }
}
