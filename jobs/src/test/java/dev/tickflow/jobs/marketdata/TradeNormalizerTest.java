package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.jobs.feedhealth.FeedSignal;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TradeNormalizerTest {

  private static final Instant TIME = Instant.parse("2019-10-11T00:00:11.620Z");

  private static RawTrade.Builder raw() {
    return RawTrade.newBuilder().setExchange("BINANCE").setSymbol("XRP/ETH").setVenueSymbol("XRPETH")
        .setTradeId("13519807").setPrice("0.00141342").setAmount("23.00000000").setSide(Side.SELL)
        .setEventTime(TIME).setIngestTime(TIME.plusMillis(40)).setFormat("test").setInfo(Map.of());
  }

  private static OneInputStreamOperatorTestHarness<SourceRecord, Trade> run(byte[] value) throws Exception {
    var h = ProcessFunctionTestHarnesses.forProcessFunction(new TradeNormalizer());
    h.processElement(new StreamRecord<>(new SourceRecord("market_data.raw", 2, 77, TIME.toEpochMilli() + 900, TIME.toEpochMilli(),
        "BINANCE:XRP/ETH".getBytes(StandardCharsets.UTF_8), value), TIME.toEpochMilli()));
    return h;
  }

  @Test
  void aValidRawTradeBecomesAnExactTradeWithItsProvenance() throws Exception {
    try (var h = run(EventTypes.codec(RawTrade.class).encode(raw().build()))) {
      Trade t = h.extractOutputValues().get(0);
      assertThat(t.getPrice()).isEqualByComparingTo("0.00141342");
      assertThat(t.getAmount()).isEqualByComparingTo("23");
      assertThat(t.getSource().getTopic()).isEqualTo("market_data.raw");
      assertThat(t.getSource().getPartition()).isEqualTo(2);
      assertThat(t.getSource().getFromOffset()).isEqualTo(77);
      assertThat(h.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "zero price         | price=0             | INVALID_PRICE   | not positive",
      "negative amount    | amount=-1           | INVALID_AMOUNT  | not positive",
      "price text         | price=abc           | INVALID_PRICE   | not a decimal number",
      "too precise        | price=1e-19         | INVALID_PRICE   | decimal places",
      "bad symbol         | symbol=XRPETH       | INVALID_TICKER  | BASE/QUOTE",
      "missing id         | tradeId=            | INVALID_TRADE_ID| missing",
      "before bitcoin     | eventTime=2008-01-01T00:00:00Z | IMPOSSIBLE_TIME | before",
      "far future         | eventTime=2031-01-01T00:00:00Z | IMPOSSIBLE_TIME | after its ingest time"})
  void anImpossibleTradeIsDeadLetteredWithTheReason(String name, String change, String errorType, String reason)
      throws Exception {
    String[] kv = change.split("=", 2);
    String v = kv.length > 1 ? kv[1] : "";
    RawTrade.Builder b = raw();
    Map<String, Consumer<String>> setters = Map.of(
        "price", b::setPrice, "amount", b::setAmount, "symbol", b::setSymbol, "tradeId", b::setTradeId,
        "eventTime", s -> b.setEventTime(Instant.parse(s)));
    setters.get(kv[0]).accept(v);
    byte[] payload = EventTypes.codec(RawTrade.class).encode(b.build());

    try (var h = run(payload)) {
      assertThat(h.extractOutputValues()).isEmpty();
      DeadLetter d = h.getSideOutput(DeadLetters.TAG).poll().getValue();
      assertThat(d.getErrorType()).isEqualTo(errorType);
      assertThat(d.getReason()).contains(reason);
      assertThat(d.getSourceOffset()).isEqualTo(77);
      assertThat(d.getSourcePartition()).isEqualTo(2);
      assertThat(d.getPayload().array()).isEqualTo(payload);
      assertThat(d.getStage()).isEqualTo(TradeNormalizer.STAGE);
    }
  }

  @Test
  void aGapInLineWithTheTradesGoesToTheFeedSignalsAndToTheLakeWithWhereItWasRead() throws Exception {
    FeedGap gap = FeedGap.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setFromTradeId("13519810").setToTradeId("13519814").setFromTime(TIME).setToTime(TIME.plusSeconds(3))
        .setMissing(5).setRecovered(5).setRepaired(true).setReason("sequence jump").setIngestorId("it-1")
        .setEventTime(TIME.plusSeconds(4)).setIngestTime(TIME.plusSeconds(4)).build();
    try (var h = run(EventTypes.codec(FeedGap.class).encode(gap))) {
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getSideOutput(FeedSignal.TAG)).singleElement()
          .satisfies(s -> assertThat(s.getValue().repaired).isTrue());
      FeedGap forLake = h.getSideOutput(TradeNormalizer.GAPS).poll().getValue();
      assertThat(forLake.getMissing()).isEqualTo(5);
      assertThat(forLake.getSource().getTopic()).isEqualTo("market_data.raw");
      assertThat(forLake.getSource().getFromOffset()).isEqualTo(77);
      assertThat(h.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
    }
  }

  @Test
  void bytesThatAreNotARawTradeAreDeadLetteredNotThrown() throws Exception {
    try (var h = run("{\"price\": 1}".getBytes(StandardCharsets.UTF_8))) {
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getSideOutput(DeadLetters.TAG).poll().getValue().getErrorType()).isEqualTo("NOT_SINGLE_OBJECT");
    }
  }
}
