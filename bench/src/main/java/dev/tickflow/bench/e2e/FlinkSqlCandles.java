package dev.tickflow.bench.e2e;

import dev.tickflow.schemas.RecordHeaders;
import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/**
 * The peer a Flink user would write first: the same 1m candles in Flink SQL, a TUMBLE window TVF with
 * FIRST_VALUE / MAX / MIN / LAST_VALUE / SUM / COUNT per ticker over the raw topic, exact DECIMAL(38, 18), written
 * to Kafka as JSON with exactly-once transactions. The payload is decoded once per record by a table function using
 * tickflow's codec, and event time comes from the same header tickflow reads. No validation, no dedup, one
 * timeframe: it does less than tickflow.
 */
final class FlinkSqlCandles implements Contender {

  static final String OUTPUT = "bench.candles.flink_sql";
  private final int parallelism;
  private final Duration commitInterval;

  FlinkSqlCandles(int parallelism, Duration commitInterval) {
    this.parallelism = parallelism;
    this.commitInterval = commitInterval;
  }

  @Override
  public String name() {
    return "flink-sql";
  }

  @Override
  public String does() {
    return "1m candles (TUMBLE), exactly once";
  }

  @Override
  public Outcome run(BenchInput input, int round) throws Exception {
    String output = OUTPUT + "_r" + round;
    input.createTopics(Map.of(output, Topic.MARKET_DATA_OHLC));
    Configuration conf = new Configuration();
    conf.setString("parallelism.default", Integer.toString(parallelism));
    conf.setString("execution.checkpointing.interval", commitInterval.toMillis() + " ms");
    conf.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
    conf.setString("table.exec.source.idle-timeout", "1 s");
    TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode()
        .withConfiguration(conf).build());
    sql.createTemporarySystemFunction("TRADE_FIELDS", TradeFields.class);
    sql.createTemporarySystemFunction("EVENT_TIME", EventTime.class);
    sql.executeSql("CREATE TABLE raw_trades ("
        + " payload BYTES,"
        + " hdrs MAP<STRING, BYTES> METADATA FROM 'headers',"
        + " ts AS EVENT_TIME(hdrs['" + RecordHeaders.EVENT_TIME + "']),"
        + " WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
        + ") WITH ("
        + " 'connector' = 'kafka', 'topic' = '" + Topic.MARKET_DATA_RAW.topicName() + "',"
        + " 'properties.bootstrap.servers' = '" + input.bootstrap() + "',"
        + " 'properties.group.id' = 'bench-flink-sql-r" + round + "', 'properties.isolation.level' = 'read_committed',"
        + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format' = 'raw')");
    sql.executeSql("CREATE TABLE candles ("
        + " ticker STRING, window_start TIMESTAMP(3), `open` DECIMAL(38, 18), high DECIMAL(38, 18),"
        + " low DECIMAL(38, 18), `close` DECIMAL(38, 18), volume DECIMAL(38, 18), trades BIGINT"
        + ") WITH ("
        + " 'connector' = 'kafka', 'topic' = '" + output + "',"
        + " 'properties.bootstrap.servers' = '" + input.bootstrap() + "',"
        + " 'properties.transaction.timeout.ms' = '900000',"
        + " 'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = 'bench-flink-sql',"
        + " 'format' = 'json')");
    sql.executeSql("CREATE VIEW trades AS SELECT t.ticker, t.price, t.amount, r.ts"
        + " FROM raw_trades AS r, LATERAL TABLE(TRADE_FIELDS(r.payload)) AS t(ticker, price, amount)");
    long started = System.nanoTime();
    sql.executeSql("INSERT INTO candles"
        + " SELECT ticker, window_start, FIRST_VALUE(price), MAX(price), MIN(price), LAST_VALUE(price),"
        + " SUM(amount), COUNT(*)"
        + " FROM TABLE(TUMBLE(TABLE trades, DESCRIPTOR(ts), INTERVAL '1' MINUTES))"
        + " GROUP BY ticker, window_start, window_end").await();
    double seconds = (System.nanoTime() - started) / 1e9;
    AtomicLong candles = new AtomicLong();
    CommittedRecords.forEach(input.bootstrap(), output, r -> candles.incrementAndGet());
    return new Outcome(seconds, candles.get());
  }

  /** A raw payload as (ticker, price, amount), decoded once; nothing for what is not a trade. */
  @FunctionHint(output = @DataTypeHint("ROW<ticker STRING, price DECIMAL(38, 18), amount DECIMAL(38, 18)>"))
  public static final class TradeFields extends TableFunction<Row> {
    public void eval(byte[] payload) {
      if (EventTypes.decodeAny(payload) instanceof RawTrade t) {
        collect(Row.of(t.getExchange() + ":" + t.getSymbol(), Decimals.parse(t.getPrice()),
            Decimals.parse(t.getAmount())));
      }
    }
  }

  /** The event time tickflow's ingestors put in a header. */
  public static final class EventTime extends ScalarFunction {
    public @DataTypeHint("TIMESTAMP_LTZ(3)") Instant eval(byte[] header) {
      return Instant.ofEpochMilli(RecordHeaders.eventTime(header, 0L));
    }
  }
}
