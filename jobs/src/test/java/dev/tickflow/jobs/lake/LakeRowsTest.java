package dev.tickflow.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Each event's row has its table's shape: one value per column, of the column's type (Flink's row serializer
 * for the table's row type copies it, and would fail on a value of the wrong class), no null in a required one.
 */
class LakeRowsTest {

  private static final Instant T = Instant.parse("2019-10-11T00:01:00Z");

  @Test
  void aTradeRowMatchesMarketTrades() throws Exception {
    Trade t = Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId("42")
        .setPrice(new BigDecimal("0.001414000000000000")).setAmount(new BigDecimal("10.000000000000000000"))
        .setSide(Side.SELL).setEventTime(T).setIngestTime(T.plusMillis(5))
        .setSource(new SourceRange("market_data.raw", 3, 17L, 17L)).build();
    RowData row = new LakeRows.TradeRow().map(t);
    assertMatches(row, MarketTables.TRADES_SCHEMA);
    assertThat(row.getString(0).toString()).isEqualTo("BINANCE:XRP/ETH");
    assertThat(row.getInt(11)).isEqualTo(3);
    assertThat(row.getLong(12)).isEqualTo(17);
  }

  @Test
  void aQuoteRowMatchesMarketQuotes() throws Exception {
    Quote q = Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setBidPrice(new BigDecimal("0.001413420000000000")).setBidAmount(new BigDecimal("31.210000000000000000"))
        .setAskPrice(new BigDecimal("0.001414180000000000")).setAskAmount(new BigDecimal("40.660000000000000000"))
        .setEventTime(T).setIngestTime(T.plusMillis(3)).setIngestorId("it-1")
        .setSource(new SourceRange("market_data.quotes", 1, 5L, 5L)).build();
    RowData row = new LakeRows.QuoteRow().map(q);
    assertMatches(row, MarketTables.QUOTES_SCHEMA);
    assertThat(row.getDecimal(4, 38, 18).toBigDecimal()).isEqualByComparingTo("0.00141342");
    assertThat(row.getString(10).toString()).isEqualTo("it-1");
    assertThat(row.getLong(13)).isEqualTo(5);
  }

  @Test
  void aGapRowMatchesMarketGaps() throws Exception {
    FeedGap g = FeedGap.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setFromTradeId("10")
        .setToTradeId("14").setFromTime(T).setToTime(T.plusSeconds(2)).setMissing(5).setRecovered(3)
        .setRepaired(false).setReason("REST gave 3 of 5").setIngestorId("it-1").setEventTime(T.plusSeconds(3))
        .setIngestTime(T.plusSeconds(3)).setSource(new SourceRange("market_data.raw", 0, 8L, 8L)).build();
    RowData row = new LakeRows.GapRow().map(g);
    assertMatches(row, MarketTables.GAPS_SCHEMA);
    assertThat(row.getLong(8)).isEqualTo(5);
    assertThat(row.getLong(9)).isEqualTo(3);
    assertThat(row.getBoolean(10)).isFalse();
    assertThat(row.getLong(16)).isEqualTo(8);
  }

  @Test
  void aFirstFinalBarIsOneInsertAndARevisionDeletesTheBarsRowFirst() throws Exception {
    Candle bar = candle(0, null);
    RowData row = new LakeRows.CandleRow().map(bar);
    assertMatches(row, MarketTables.OHLC_SCHEMA);
    assertThat(row.getDecimal(24, 38, 18).toBigDecimal()).isEqualByComparingTo("0.001414");
    assertThat(row.getString(26).toString()).isEqualTo("HEALTHY");
    assertThat(row.isNullAt(25)).as("no reason for revision 0").isTrue();
    assertThat(changes(bar)).extracting(RowData::getRowKind).containsExactly(RowKind.INSERT);

    Candle revised = candle(1, "late trade 7");
    List<RowData> rows = changes(revised);
    assertThat(rows).extracting(RowData::getRowKind).containsExactly(RowKind.DELETE, RowKind.INSERT);
    rows.forEach(r -> assertMatches(r, MarketTables.OHLC_SCHEMA));
    assertThat(rows.get(1).getString(25).toString()).isEqualTo("late trade 7");
  }

  private static List<RowData> changes(Candle c) throws Exception {
    List<RowData> out = new ArrayList<>();
    new LakeRows.CandleChange().flatMap(c, new Collector<>() {
      @Override
      public void collect(RowData record) {
        out.add(record);
      }

      @Override
      public void close() {}
    });
    return out;
  }

  @Test
  void anAlertRowMatchesSignalsAlerts() throws Exception {
    dev.tickflow.schemas.event.PatternAlert alert = dev.tickflow.schemas.event.PatternAlert.newBuilder()
        .setAlertId("a-1").setExchange("BINANCE").setBase("XRP").setQuote("ETH").setPattern("stale-feed")
        .setTimeframe("1m").setPrice(BigDecimal.ONE.setScale(18)).setDescription("no trades for 5 bars")
        .setAttributes(java.util.Map.of("silent_bars", "5")).setEventTime(T).setIngestTime(T)
        .setSource(new SourceRange("market_data.raw", 1, 4L, 9L)).build();
    RowData row = new LakeRows.AlertRow().map(alert);
    assertMatches(row, dev.tickflow.catalog.tables.SignalTables.ALERTS_SCHEMA);
    assertThat(row.getMap(9).size()).isEqualTo(1);
    assertThat(row.getLong(15)).isEqualTo(9);
  }

  @Test
  void aSignalRowMatchesSignalsSignalsWithEveryRuleAndItsInputs() throws Exception {
    BigDecimal one = BigDecimal.ONE.setScale(18);
    dev.tickflow.schemas.event.RuleContribution r = dev.tickflow.schemas.event.RuleContribution.newBuilder()
        .setRule("ema-cross-up").setFired(true).setWeight(one).setScore(one).setDetail("ema_fast > ema_slow")
        .setInputs(java.util.Map.of("ema_fast", "0.0014")).build();
    dev.tickflow.schemas.event.Signal signal = dev.tickflow.schemas.event.Signal.newBuilder().setSignalId("id-1")
        .setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
        .setDirection(dev.tickflow.schemas.event.Direction.LONG).setScore(one.add(one)).setPrice(one)
        .setRules(java.util.List.of(r, dev.tickflow.schemas.event.RuleContribution.newBuilder(r).setRule("b").build()))
        .setEventTime(T).setIngestTime(T).setSource(new SourceRange("market_data.ohlc", 0, 1L, 2L))
        .setDetectorId("xrp-momentum").setDetectorVersion(3).setThreshold(one).build();
    RowData row = new LakeRows.SignalRow().map(signal);
    assertMatches(row, dev.tickflow.catalog.tables.SignalTables.SIGNALS_SCHEMA);
    assertThat(row.getArray(9).size()).isEqualTo(2);
    RowData rule = row.getArray(9).getRow(0, 6);
    assertThat(rule.getString(0).toString()).isEqualTo(signal.getRules().get(0).getRule());
    assertThat(rule.getMap(5).size()).isEqualTo(1);
    assertThat(row.getString(16).toString()).isEqualTo(signal.getDetectorId());
    assertThat(row.getDecimal(18, 38, 18).toBigDecimal()).isEqualByComparingTo(signal.getThreshold());
  }

  private static void assertMatches(RowData row, Schema schema) {
    RowType type = FlinkSchemaUtil.convert(schema);
    assertThat(row.getArity()).isEqualTo(schema.columns().size());
    new RowDataSerializer(type).copy(row);
    for (int i = 0; i < schema.columns().size(); i++) {
      Types.NestedField field = schema.columns().get(i);
      if (field.isRequired()) {
        assertThat(row.isNullAt(i)).as(field.name() + " is required").isFalse();
      }
    }
  }

  private static Candle candle(int revision, String reason) {
    BigDecimal p = new BigDecimal("0.001414000000000000");
    return Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
        .setOpenTime(T).setCloseTime(T.plusSeconds(60)).setOpen(p).setHigh(p).setLow(p).setClose(p)
        .setVolume(BigDecimal.ONE.setScale(18)).setQuoteVolume(p).setTradeCount(1).setIsFinal(true)
        .setRevision(revision).setRevisionReason(reason).setEventTime(T).setIngestTime(T)
        .setSource(new SourceRange("market_data.raw", 0, 1L, 1L)).setTakerBuyVolume(BigDecimal.ONE.setScale(18))
        .setTakerBuyQuoteVolume(p).setVwap(p).setFeedHealth(FeedHealth.HEALTHY).build();
  }
}
