package dev.tickflow.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.catalog.tables.SignalTables;
import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.TradingTables;
import dev.tickflow.jobs.audit.DiffReport.Difference;
import dev.tickflow.jobs.audit.DiffReport.Kind;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.io.RunScope.OffsetRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The diff over real Iceberg tables (an in-memory catalog): scope by provenance, settling, keys, attribution. */
class ReplayDiffTest {

  private static final RunScope RUN = RunScope.audit("run_1", Map.of());
  private static final ReplayRange RANGE = new ReplayRange("market_data.raw", Map.of(0, new OffsetRange(100, 200)),
      null, null);
  private InMemoryCatalog catalog;

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("test", Map.of());
    for (TableDefinition t : List.of(MarketTables.TRADES, MarketTables.OHLC, SignalTables.SIGNALS,
        TradingTables.DECISIONS, TradingTables.VERDICTS, TradingTables.FILLS)) {
      t.ensure(catalog);
      RUN.table(t).ensure(catalog);
    }
    // the run read trades up to 01:00, so rows after 00:50 are not settled with the default 10 minutes
    append(RUN.table(MarketTables.TRADES), row(MarketTables.TRADES.schema(), Map.of("event_time", t("00:00:05"))),
        row(MarketTables.TRADES.schema(), Map.of("event_time", t("01:00:00"))));
  }

  @Test
  void equalRowsAreIdenticalAndUnsettledOrOutOfRangeOnesAreNotCompared() {
    Record bar = candle("00:10:00", 0, "1.5", 120, 130);
    append(MarketTables.OHLC, bar, candle("00:55:00", 0, "9", 150, 160), candle("00:20:00", 0, "7", 10, 20));
    append(RUN.table(MarketTables.OHLC), bar, candle("00:55:00", 0, "8", 150, 160));

    DiffReport report = new ReplayDiff(catalog).compare(RUN, RANGE, Duration.ofMinutes(10));

    assertThat(report.result()).isEqualTo("IDENTICAL");
    assertThat(report.settledUntil()).isEqualTo(Instant.parse("2019-10-11T00:50:00Z"));
    assertThat(report.tables().get(0).identical()).isEqualTo(1);
    assertThat(report.tables().get(0).live()).as("the bar from offsets 10..20 is outside the range").isEqualTo(1);
  }

  @Test
  void aChangedRuleWeightIsAttributedToThatRule() {
    append(SignalTables.SIGNALS, signal("3", "2", "2"));
    append(RUN.table(SignalTables.SIGNALS), signal("4", "3", "3"));

    DiffReport report = new ReplayDiff(catalog).compare(RUN, RANGE, Duration.ofMinutes(10));

    assertThat(report.result()).isEqualTo("DIFFERENT");
    Difference d = report.differences().get(0);
    assertThat(d.kind()).isEqualTo(Kind.CHANGED);
    assertThat(d.columns()).singleElement().satisfies(c -> {
      assertThat(c.column()).isEqualTo("score");
      assertThat(c.live()).isEqualTo("3");
      assertThat(c.replay()).isEqualTo("4");
    });
    assertThat(d.attribution()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("ema-cross-up");
      assertThat(a.live()).isEqualTo("weight=2 score=2");
      assertThat(a.replay()).isEqualTo("weight=3 score=3");
    });
    assertThat(report.toText()).contains("signals.signals CHANGED", "score: 3 -> 4",
        "rule ema-cross-up: live weight=2 score=2 | replay weight=3 score=3").doesNotContain("rules:");
    assertThat(report.toJson()).contains("\"result\" : \"DIFFERENT\"", "\"name\" : \"ema-cross-up\"");
  }

  @Test
  void aBarOnOneSideOnlyAndTheLatestRevisionWins() {
    append(MarketTables.OHLC, candle("00:10:00", 0, "1", 120, 130), candle("00:10:00", 1, "2", 120, 131),
        candle("00:30:00", 0, "5", 140, 150));
    append(RUN.table(MarketTables.OHLC), candle("00:10:00", 0, "2", 120, 131));

    DiffReport report = new ReplayDiff(catalog).compare(RUN, RANGE, Duration.ofMinutes(10));

    assertThat(report.differences()).hasSize(2);
    assertThat(report.differences()).anySatisfy(d -> {
      assertThat(d.kind()).isEqualTo(Kind.CHANGED);
      assertThat(d.columns()).extracting(c -> c.column()).containsExactly("revision");
    });
    assertThat(report.differences()).anySatisfy(d -> {
      assertThat(d.kind()).isEqualTo(Kind.ONLY_LIVE);
      assertThat(d.key()).isEqualTo("BINANCE:XRP/ETH 1m 2019-10-11T00:29:00Z");
    });
  }

  private static Instant t(String time) {
    return Instant.parse("2019-10-11T" + time + "Z");
  }

  private static Record candle(String close, int revision, String price, long from, long to) {
    Map<String, Object> v = new HashMap<>();
    v.put("ticker", "BINANCE:XRP/ETH");
    v.put("timeframe", "1m");
    v.put("open_time", t(close).minusSeconds(60));
    v.put("close_time", t(close));
    v.put("event_time", t(close).minusSeconds(1));
    v.put("close", new BigDecimal(price));
    v.put("revision", revision);
    v.put("src_topic", "market_data.raw");
    v.put("src_from_offset", from);
    v.put("src_to_offset", to);
    return row(MarketTables.OHLC.schema(), v);
  }

  private static Record signal(String score, String weight, String ruleScore) {
    Types.StructType ruleType = SignalTables.SIGNALS.schema().findField("rules").type().asListType().elementType()
        .asStructType();
    GenericRecord rule = GenericRecord.create(ruleType);
    rule.setField("rule", "ema-cross-up");
    rule.setField("fired", true);
    rule.setField("weight", new BigDecimal(weight).setScale(18));
    rule.setField("score", new BigDecimal(ruleScore).setScale(18));
    rule.setField("detail", "crosses above");
    GenericRecord other = rule.copy();
    other.setField("rule", "rsi-not-overbought");
    other.setField("weight", BigDecimal.ONE.setScale(18));
    other.setField("score", BigDecimal.ONE.setScale(18));
    Map<String, Object> v = new HashMap<>();
    v.put("signal_id", "s-1");
    v.put("detector_id", "xrp-momentum");
    v.put("ticker", "BINANCE:XRP/ETH");
    v.put("timeframe", "1m");
    v.put("direction", "LONG");
    v.put("score", new BigDecimal(score).setScale(18));
    v.put("rules", List.of(rule, other));
    v.put("event_time", t("00:20:00"));
    v.put("src_topic", "market_data.raw");
    v.put("src_from_offset", 150L);
    v.put("src_to_offset", 160L);
    return row(SignalTables.SIGNALS.schema(), v);
  }

  /** A row with every required column set (zeroes, empty text) and {@code values} over them. */
  private static Record row(Schema schema, Map<String, Object> values) {
    GenericRecord r = GenericRecord.create(schema);
    for (NestedField f : schema.columns()) {
      Object v = values.containsKey(f.name()) ? values.get(f.name()) : f.isOptional() ? null : zero(f.type());
      if (v instanceof Instant i) {
        v = i.atOffset(ZoneOffset.UTC);
      }
      if (v instanceof BigDecimal d) {
        v = d.setScale(18);
      }
      r.setField(f.name(), v);
    }
    return r;
  }

  private static Object zero(Type type) {
    return switch (type.typeId()) {
      case STRING -> "";
      case DECIMAL -> BigDecimal.ZERO;
      case TIMESTAMP -> Instant.EPOCH;
      case INTEGER -> 0;
      case LONG -> 0L;
      case BOOLEAN -> false;
      case LIST -> List.of();
      case MAP -> Map.of();
      default -> throw new IllegalArgumentException("no zero for " + type);
    };
  }

  /** One Parquet file per row, in the row's partition, one commit. */
  private void append(TableDefinition definition, Record... rows) {
    Table table = catalog.loadTable(definition.identifier());
    var append = table.newAppend();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    for (Record r : rows) {
      PartitionKey key = new PartitionKey(table.spec(), table.schema());
      key.partition(wrapper.wrap(r));
      DataWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec()).newDataWriter(
          EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(
              table.locationProvider().newDataLocation(table.spec(), key, UUID.randomUUID() + ".parquet"))),
          FileFormat.PARQUET, key);
      try (writer) {
        writer.write(r);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      append.appendFile(writer.toDataFile());
    }
    append.commit();
  }
}
