package dev.tickflow.bench.e2e;

import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

/**
 * The peer a Flink user would write: candles in Flink SQL, TUMBLE window TVFs with FIRST_VALUE / MAX / MIN /
 * LAST_VALUE / SUM / COUNT per ticker over the raw topic, exact DECIMAL(38, 18), written to Kafka as JSON with
 * exactly-once transactions. The payload is decoded once per record by a scalar function using tickflow's codec
 * ({@link TradeFields}), and event time comes from the same header tickflow reads.
 *
 * <p>Two shapes. {@code flink-sql} is what a user writes first: 1m candles only, no dedup. {@code
 * flink-sql-same-work} does the work tickflow does that SQL can express: trades de-duplicated by (ticker, id)
 * for an hour, every unique trade written back to Kafka, and 1m candles cascaded to 5m, 15m, 1h, 4h and 1d
 * (each timeframe from the one below, as tickflow rolls up). What it still leaves out: validation with dead
 * letters, provisional updates, feed health and revisions of late bars.
 */
final class FlinkSqlCandles implements Contender {

  /** Timeframes above 1m, each rolled up from the one before, as SQL interval literals. */
  private static final List<Map.Entry<String, String>> ROLLUPS = List.of(Map.entry("5m", "'5' MINUTE"),
      Map.entry("15m", "'15' MINUTE"), Map.entry("1h", "'1' HOUR"), Map.entry("4h", "'4' HOUR"),
      Map.entry("1d", "'1' DAY"));

  private final int parallelism;
  private final Duration commitInterval;
  private final boolean sameWork;
  private final Path checkpoints;

  FlinkSqlCandles(int parallelism, Duration commitInterval, boolean sameWork, Path checkpoints) {
    this.parallelism = parallelism;
    this.commitInterval = commitInterval;
    this.sameWork = sameWork;
    this.checkpoints = checkpoints;
  }

  @Override
  public String name() {
    return sameWork ? "flink-sql-same-work" : "flink-sql";
  }

  @Override
  public String does() {
    return sameWork ? "dedup + trades out + 1m..1d candles, exactly once" : "1m candles (TUMBLE), exactly once";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    String id = name().replace('-', '_') + "_r" + round;
    String candleTopic = "bench.candles." + id;
    String tradeTopic = "bench.trades." + id;
    input.createTopics(sameWork ? Map.of(candleTopic, Topic.MARKET_DATA_OHLC, tradeTopic, Topic.MARKET_DATA_TRADES)
        : Map.of(candleTopic, Topic.MARKET_DATA_OHLC));
    Configuration conf = Contender.flinkSettings();
    conf.setString("parallelism.default", Integer.toString(parallelism));
    conf.setString("execution.checkpointing.interval", commitInterval.toMillis() + " ms");
    conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
    // on disk, as for every Flink contender: the JobManager's heap takes at most 5 MB of state, less than an
    // hour of trade ids
    conf.setString("execution.checkpointing.dir", checkpoints.resolve(id).toUri().toString());
    conf.setString("table.exec.source.idle-timeout", "1 s");
    // tickflow remembers trade ids for an hour of event time; SQL's dedup state expires by wall-clock TTL
    conf.setString("table.exec.state.ttl", "1 h");
    // the views are expanded once per reader; without this the dedup ran twice, once for each sink
    conf.setString("table.optimizer.reuse-optimize-block-with-digest-enabled", "true");
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
        .withConfiguration(conf).build());
    sql.createTemporarySystemFunction("TRADE_FIELDS", TradeFields.class);
    sql.createTemporarySystemFunction("EVENT_TIME", EventTime.class);
    sql.executeSql("CREATE TABLE raw_trades ("
        + " payload BYTES,"
        + " hdrs MAP<STRING, BYTES> METADATA FROM 'headers',"
        + " ts AS EVENT_TIME(hdrs['" + RecordHeaders.EVENT_TIME + "']),"
        + " pt AS PROCTIME(),"
        + " WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
        + ") WITH ("
        + " 'connector' = 'kafka', 'topic' = '" + Topic.MARKET_DATA_RAW.topicName() + "',"
        + " 'properties.bootstrap.servers' = '" + input.bootstrap() + "',"
        + " 'properties.group.id' = 'bench-" + id + "', 'properties.isolation.level' = 'read_committed',"
        + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'raw')");
    sql.executeSql("CREATE TABLE candles ("
        + " ticker STRING, timeframe STRING, bar_start TIMESTAMP(3), `open` DECIMAL(38, 18), high DECIMAL(38, 18),"
        + " low DECIMAL(38, 18), `close` DECIMAL(38, 18), volume DECIMAL(38, 18), trades BIGINT"
        + ") WITH (" + kafkaSink(input, candleTopic, "json") + ")");
    sql.executeSql("CREATE VIEW decoded AS SELECT TRADE_FIELDS(payload) AS t, payload, ts, pt FROM raw_trades");
    sql.executeSql("CREATE VIEW trades AS SELECT t.ticker AS ticker, t.trade_id AS trade_id, t.price AS price,"
        + " t.amount AS amount, payload, ts, pt FROM decoded WHERE t IS NOT NULL");
    String candleInput = "trades";
    if (sameWork) {
      // Flink's documented dedup: ROW_NUMBER over processing time, first row kept, which stays insert-only
      sql.executeSql("CREATE VIEW unique_trades AS SELECT ticker, price, amount, payload, ts FROM ("
          + " SELECT *, ROW_NUMBER() OVER (PARTITION BY ticker, trade_id ORDER BY pt ASC) AS rn FROM trades)"
          + " WHERE rn = 1");
      sql.executeSql("CREATE TABLE trades_out (payload BYTES) WITH (" + kafkaSink(input, tradeTopic, "raw") + ")");
      candleInput = "unique_trades";
    }
    sql.executeSql("CREATE VIEW candles_1m AS SELECT ticker, window_start AS bar_start, window_time AS bar_time,"
        + " FIRST_VALUE(price) AS `open`, MAX(price) AS high, MIN(price) AS low, LAST_VALUE(price) AS `close`,"
        + " SUM(amount) AS volume, COUNT(*) AS trades"
        + " FROM TABLE(TUMBLE(TABLE " + candleInput + ", DESCRIPTOR(ts), INTERVAL '1' MINUTE))"
        + " GROUP BY ticker, window_start, window_end, window_time");
    StringBuilder allCandles = new StringBuilder("SELECT ticker, '1m', bar_start, `open`, high, low, `close`, volume,"
        + " trades FROM candles_1m");
    String finer = "candles_1m";
    if (sameWork) {
      for (Map.Entry<String, String> rollup : ROLLUPS) {
        String view = "candles_" + rollup.getKey();
        sql.executeSql("CREATE VIEW " + view + " AS SELECT ticker, window_start AS bar_start, window_time AS bar_time,"
            + " FIRST_VALUE(`open`) AS `open`, MAX(high) AS high, MIN(low) AS low, LAST_VALUE(`close`) AS `close`,"
            + " SUM(volume) AS volume, SUM(trades) AS trades"
            + " FROM TABLE(TUMBLE(TABLE " + finer + ", DESCRIPTOR(bar_time), INTERVAL " + rollup.getValue() + "))"
            + " GROUP BY ticker, window_start, window_end, window_time");
        allCandles.append(" UNION ALL SELECT ticker, '").append(rollup.getKey())
            .append("', bar_start, `open`, high, low, `close`, volume, trades FROM ").append(view);
        finer = view;
      }
    }
    // one INSERT per topic: two Kafka sinks under one transactional-id prefix would fence each other's producers
    StatementSet inserts = sql.createStatementSet();
    inserts.addInsertSql("INSERT INTO candles " + allCandles);
    if (sameWork) {
      inserts.addInsertSql("INSERT INTO trades_out SELECT payload FROM unique_trades");
    }
    TradeFields.CALLS.reset();
    long started = System.nanoTime();
    inserts.execute().await();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (TradeFields.CALLS.sum() != input.trades) {
      // the plan decodes a payload more than once: its sub-plans were not reused (see TradeFields)
      System.err.printf("  %s: %d payloads decoded for %d records -- PLAN NOT REUSED%n", name(),
          TradeFields.CALLS.sum(), input.trades);
    }
    AtomicLong oneMinute = new AtomicLong();
    CommittedRecords.forEach(input.bootstrap(), candleTopic, r -> {
      if (new String(r.value(), StandardCharsets.UTF_8).contains("\"timeframe\":\"1m\"")) {
        oneMinute.incrementAndGet();
      }
    });
    if (sameWork) {
      AtomicLong trades = new AtomicLong();
      CommittedRecords.forEach(input.bootstrap(), tradeTopic, r -> trades.incrementAndGet());
      System.err.printf("  %s: %d of %d trades committed%s%n", name(), trades.get(), input.trades,
          trades.get() < input.trades ? " -- RECORDS MISSING" : "");
    }
    return new Outcome(seconds, oneMinute.get());
  }

  private static String kafkaSink(BenchInput input, String topic, String format) {
    return "'connector' = 'kafka', 'topic' = '" + topic + "',"
        + " 'properties.bootstrap.servers' = '" + input.bootstrap() + "',"
        + " 'properties.transaction.timeout.ms' = '900000',"
        + " 'properties.batch.size' = '" + PRODUCER_BATCH_BYTES + "',"
        + " 'properties.linger.ms' = '" + PRODUCER_LINGER_MS + "',"
        + " 'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = '" + topic + "',"
        + " 'format' = '" + format + "'";
  }

  /**
   * A raw payload as (ticker, trade id, price, amount), decoded once; null for what is not a trade. A scalar
   * function, not a table function: Flink 2.1 plans a LATERAL TABLE per view that reads it (each expansion gets a
   * correlation variable of its own, so the sub-plans never look alike to its reuse, FLINK-39583), and the first
   * same-work peer decoded and de-duplicated every trade seven times.
   */
  public static final class TradeFields extends ScalarFunction {
    /**
     * Calls in this JVM (the MiniCluster's): one per record when the plan is reused as it should be. An adder,
     * not an AtomicLong: both subtasks count every record, and should not contend for one cache line doing it.
     */
    static final LongAdder CALLS = new LongAdder();

    public @DataTypeHint("ROW<ticker STRING, trade_id STRING, price DECIMAL(38, 18), amount DECIMAL(38, 18)>") Row eval(
        byte[] payload) {
      CALLS.increment();
      if (EventTypes.decodeAny(payload) instanceof RawTrade t) {
        return Row.of(t.getExchange() + ":" + t.getSymbol(), t.getTradeId(), Decimals.parse(t.getPrice()),
            Decimals.parse(t.getAmount()));
      }
      return null;
    }

    /**
     * Said to be non-deterministic so that the planner keeps the call in a projection of its own: deterministic,
     * it is inlined into every field read from it (four fields and the null check: five decodes a record).
     */
    @Override
    public boolean isDeterministic() {
      return false;
    }
  }

  /** The event time tickflow's ingestors put in a header. */
  public static final class EventTime extends ScalarFunction {
    public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(byte[] header) {
      return Instant.ofEpochMilli(RecordHeaders.eventTime(header, 0L));
    }
  }
}
