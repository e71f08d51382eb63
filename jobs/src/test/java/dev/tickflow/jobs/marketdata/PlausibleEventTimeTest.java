package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Trade;
import dev.tickflow.schemas.event.Side;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlausibleEventTimeTest {

  private static final long KAFKA = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  private static final Instant OLD = Instant.parse("2019-10-11T00:00:11.620Z");

  private static RawTrade.Builder trade(Instant t) {
    return RawTrade.newBuilder().setExchange("BINANCE").setSymbol("XRP/ETH").setVenueSymbol("XRPETH")
        .setTradeId("1").setPrice("0.00141342").setAmount("23").setSide(Side.BUY).setEventTime(t).setIngestTime(t)
        .setFormat("test").setInfo(Map.of());
  }

  private static long watermarkTime(byte[] value, long header, long kafkaTimestamp) {
    return new PlausibleEventTime().extractTimestamp(
        new SourceRecord("market_data.raw", 0, 0, kafkaTimestamp, header, null, value), kafkaTimestamp);
  }

  private static long watermarkTime(RawTrade trade) {
    return watermarkTime(EventTypes.codec(RawTrade.class).encode(trade), trade.getEventTime().toEpochMilli(), KAFKA);
  }

  @Test
  void onlyRecordsTheJobAcceptsMoveTheWatermark() {
    assertThat(watermarkTime(trade(OLD).build())).as("history replayed today").isEqualTo(OLD.toEpochMilli());
    Instant soon = Instant.ofEpochMilli(KAFKA).plusSeconds(3600);
    assertThat(watermarkTime(trade(soon).build())).as("an hour ahead: clock skew").isEqualTo(soon.toEpochMilli());
    assertThat(watermarkTime(trade(Instant.ofEpochMilli(KAFKA).plusSeconds(86_401)).build()))
        .as("a day ahead of the broker, though the producer vouches for it").isEqualTo(Long.MIN_VALUE);
    assertThat(watermarkTime(trade(Instant.parse("9999-12-31T23:59:59Z")).build())).isEqualTo(Long.MIN_VALUE);
    assertThat(watermarkTime(trade(Instant.EPOCH).build())).isEqualTo(Long.MIN_VALUE);
    assertThat(watermarkTime(trade(OLD).setPrice("abc").build())).as("a plausible time on a refused trade")
        .isEqualTo(Long.MIN_VALUE);
    assertThat(watermarkTime(trade(OLD).setSymbol("XRPETH").build())).isEqualTo(Long.MIN_VALUE);
    assertThat(watermarkTime("not a trade".getBytes(StandardCharsets.UTF_8), OLD.toEpochMilli(), KAFKA))
        .as("garbage with a plausible header").isEqualTo(Long.MIN_VALUE);
    // the payload's time decides, not a header that disagrees with it
    byte[] payload = EventTypes.codec(RawTrade.class).encode(trade(OLD).build());
    assertThat(watermarkTime(payload, Instant.parse("9999-01-01T00:00:00Z").toEpochMilli(), KAFKA))
        .isEqualTo(OLD.toEpochMilli());
    assertThat(watermarkTime(payload, OLD.toEpochMilli(), 0)).as("no broker time known (tests, files)")
        .isEqualTo(OLD.toEpochMilli());
  }

  @Test
  void theRecordIsDecodedOnceAndTheNormalizerChainedAfterTakesTheOutcome() throws Exception {
    byte[] payload = EventTypes.codec(RawTrade.class).encode(trade(OLD).build());
    SourceRecord record = new SourceRecord("market_data.raw", 0, 9, KAFKA, OLD.toEpochMilli(), null, payload);
    new PlausibleEventTime().extractTimestamp(record, KAFKA);
    assertThat(record.decoded()).isInstanceOf(TradeNormalizer.Outcome.class);
    Trade decided = (Trade) ((TradeNormalizer.Outcome) record.decoded()).event();

    try (var h = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(new TradeNormalizer())) {
      h.processElement(record, OLD.toEpochMilli());
      assertThat(h.extractOutputValues()).singleElement().isSameAs(decided);
    }
    // after a network exchange the outcome is gone, and the normalizer decides again, the same way
    SourceRecord sent = new SourceRecord(record.topic, record.partition, record.offset, record.timestamp,
        record.eventTime, record.key, record.value);
    try (var h = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forProcessFunction(new TradeNormalizer())) {
      h.processElement(sent, OLD.toEpochMilli());
      assertThat(h.extractOutputValues()).singleElement().isEqualTo(decided).isNotSameAs(decided);
    }
  }
}
