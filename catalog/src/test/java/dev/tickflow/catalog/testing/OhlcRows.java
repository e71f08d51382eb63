package dev.tickflow.catalog.testing;

import dev.tickflow.catalog.tables.MarketTables;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;

/** market.ohlc rows written with Iceberg's generic writers, one file and one commit each, like a streaming sink. */
public final class OhlcRows {

  private OhlcRows() {}

  /** A 1m BINANCE:XRP/ETH bar at {@code minute} past 2019-10-11 00:00 UTC, with the columns {@code schema} has. */
  public static Record bar(Schema schema, int minute) {
    OffsetDateTime open = OffsetDateTime.of(2019, 10, 11, 0, 0, 0, 0, ZoneOffset.UTC).plusMinutes(minute);
    BigDecimal price = new BigDecimal("0.001414000000000000").add(BigDecimal.valueOf(minute, 8));
    GenericRecord r = GenericRecord.create(schema);
    r.setField("ticker", "BINANCE:XRP/ETH");
    r.setField("exchange", "BINANCE");
    r.setField("base", "XRP");
    r.setField("quote", "ETH");
    r.setField("timeframe", "1m");
    r.setField("open_time", open);
    r.setField("close_time", open.plusMinutes(1));
    for (String f : List.of("open", "high", "low", "close", "volume", "quote_volume")) {
      r.setField(f, price);
    }
    r.setField("trade_count", 1L);
    r.setField("revision", 0);
    r.setField("event_time", open);
    r.setField("ingest_time", open);
    r.setField("src_topic", "market_data.raw");
    r.setField("src_partition", 0);
    r.setField("src_from_offset", (long) minute);
    r.setField("src_to_offset", (long) minute);
    r.setField("is_final", true);
    return r;
  }

  /** Appends one record as its own data file in its own commit. */
  public static void append(Table table, Record record) throws Exception {
    PartitionKey partition = new PartitionKey(table.spec(), table.schema());
    partition.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(record));
    OutputFile out = table.io().newOutputFile(
        table.locationProvider().newDataLocation(table.spec(), partition, UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec())
        .newDataWriter(EncryptedFiles.plainAsEncryptedOutput(out), FileFormat.PARQUET, partition);
    try (writer) {
      writer.write(record);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  /** {@code n} bars, minutes 0..n-1, each its own commit, into market.ohlc. */
  public static void appendBars(Table table, int n) throws Exception {
    for (int m = 0; m < n; m++) {
      append(table, bar(table.schema(), m));
    }
  }

  public static final String TABLE = MarketTables.OHLC_ID.toString();
}
