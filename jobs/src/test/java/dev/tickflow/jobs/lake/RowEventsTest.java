package dev.tickflow.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.data.GenericRecord;
import org.junit.jupiter.api.Test;

class RowEventsTest {

  @Test
  void aTradeRowBecomesTheTradeItWasWrittenFrom() {
    GenericRecord row = GenericRecord.create(MarketTables.TRADES.schema());
    row.setField("ticker", "BINANCE:XRP/ETH");
    row.setField("exchange", "BINANCE");
    row.setField("base", "XRP");
    row.setField("quote", "ETH");
    row.setField("trade_id", "42");
    row.setField("price", new BigDecimal("0.001234560000000000"));
    row.setField("amount", new BigDecimal("15.000000000000000000"));
    row.setField("side", "SELL");
    row.setField("event_time", time("2019-10-11T00:00:01.234Z"));
    row.setField("ingest_time", time("2019-10-11T00:00:02Z"));
    row.setField("src_topic", "market_data.raw");
    row.setField("src_partition", 3);
    row.setField("src_offset", 1200L);

    Trade t = RowEvents.event(row, Trade.class);

    assertThat(t.getTradeId()).isEqualTo("42");
    assertThat(t.getPrice()).isEqualTo(new BigDecimal("0.001234560000000000"));
    assertThat(t.getPrice().scale()).isEqualTo(18);
    assertThat(t.getSide()).isEqualTo(Side.SELL);
    assertThat(t.getEventTime()).isEqualTo(Instant.parse("2019-10-11T00:00:01.234Z"));
    assertThat(t.getSource().getPartition()).isEqualTo(3);
    assertThat(t.getSource().getFromOffset()).isEqualTo(1200L);
    assertThat(t.getSource().getToOffset()).isEqualTo(1200L);
    assertThat(t.getHistoryRequestId()).isNull();
  }

  @Test
  void aCandleRowKeepsItsOffsetRangeAndHealth() {
    GenericRecord row = GenericRecord.create(MarketTables.OHLC.schema());
    row.setField("ticker", "BINANCE:XRP/ETH");
    row.setField("exchange", "BINANCE");
    row.setField("base", "XRP");
    row.setField("quote", "ETH");
    row.setField("timeframe", "5m");
    row.setField("open_time", time("2019-10-11T00:00:00Z"));
    row.setField("close_time", time("2019-10-11T00:05:00Z"));
    for (String c : new String[] {"open", "high", "low", "close", "volume", "quote_volume"}) {
      row.setField(c, new BigDecimal("1.5").setScale(18));
    }
    row.setField("trade_count", 7L);
    row.setField("revision", 0);
    row.setField("event_time", time("2019-10-11T00:04:59Z"));
    row.setField("ingest_time", time("2019-10-11T00:05:00Z"));
    row.setField("src_topic", "market_data.raw");
    row.setField("src_partition", 0);
    row.setField("src_from_offset", 10L);
    row.setField("src_to_offset", 16L);
    row.setField("is_final", true);
    row.setField("feed_health", "HEALTHY");

    Candle c = RowEvents.event(row, Candle.class);

    assertThat(c.getTimeframe()).isEqualTo("5m");
    assertThat(c.getCloseTime()).isEqualTo(Instant.parse("2019-10-11T00:05:00Z"));
    assertThat(c.getTradeCount()).isEqualTo(7L);
    assertThat(c.getIsFinal()).isTrue();
    assertThat(c.getFeedHealth()).isEqualTo(FeedHealth.HEALTHY);
    assertThat(c.getVwap()).as("an optional column left empty").isNull();
    assertThat(c.getSource().getFromOffset()).isEqualTo(10L);
    assertThat(c.getSource().getToOffset()).isEqualTo(16L);
  }

  private static OffsetDateTime time(String iso) {
    return Instant.parse(iso).atOffset(ZoneOffset.UTC);
  }
}
