package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.Quote;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuoteNormalizerTest {

  private static final Instant TIME = Instant.parse("2019-10-11T00:00:11.620Z");

  private static Quote.Builder quote() {
    return Quote.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setBidPrice(dec("0.00141342")).setBidAmount(dec("31.21")).setAskPrice(dec("0.00141418"))
        .setAskAmount(dec("40.66")).setEventTime(TIME).setIngestTime(TIME.plusMillis(3)).setIngestorId("it-1");
  }

  private static BigDecimal dec(String s) {
    return new BigDecimal(s).setScale(18);
  }

  private static OneInputStreamOperatorTestHarness<SourceRecord, Quote> run(byte[] value) throws Exception {
    var h = ProcessFunctionTestHarnesses.forProcessFunction(new QuoteNormalizer());
    h.processElement(new StreamRecord<>(new SourceRecord("market_data.quotes", 4, 9, TIME.toEpochMilli(),
        Long.MIN_VALUE, "BINANCE:XRP/ETH".getBytes(StandardCharsets.UTF_8), value)));
    return h;
  }

  @Test
  void aValidQuoteKeepsItsExactPricesAndLearnsWhereItWasRead() throws Exception {
    try (var h = run(EventTypes.codec(Quote.class).encode(quote().build()))) {
      Quote q = h.extractOutputValues().get(0);
      assertThat(q.getBidPrice()).isEqualTo(dec("0.00141342"));
      assertThat(q.getAskAmount()).isEqualTo(dec("40.66"));
      assertThat(q.getSource().getTopic()).isEqualTo("market_data.quotes");
      assertThat(q.getSource().getPartition()).isEqualTo(4);
      assertThat(q.getSource().getFromOffset()).isEqualTo(9);
      assertThat(h.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
    }
  }

  @Test
  void aTickerGetsItsOneSpelling() throws Exception {
    try (var h = run(EventTypes.codec(Quote.class).encode(quote().setExchange("binance").setBase("xrp").build()))) {
      Quote q = h.extractOutputValues().get(0);
      assertThat(q.getExchange() + ":" + q.getBase() + "/" + q.getQuote()).isEqualTo("BINANCE:XRP/ETH");
    }
  }

  @Test
  void aCrossedBookIsHistoryNotAnError() throws Exception {
    Quote crossed = quote().setBidPrice(dec("0.00141500")).build();
    try (var h = run(EventTypes.codec(Quote.class).encode(crossed))) {
      assertThat(h.extractOutputValues()).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "zero bid          | bidPrice=0                     | must both be positive",
      "negative ask      | askPrice=-0.001                | must both be positive",
      "negative size     | askAmount=-1                   | cannot be negative",
      "not a symbol part | base=XRP/ETH                   | XRP/ETH",
      "before bitcoin    | eventTime=2008-01-01T00:00:00Z | before",
      "far future        | eventTime=2031-01-01T00:00:00Z | after its ingest time"})
  void anImpossibleQuoteIsDeadLetteredWithTheReason(String name, String change, String reason) throws Exception {
    String[] kv = change.split("=", 2);
    Quote.Builder b = quote();
    Map<String, Consumer<String>> setters = Map.of(
        "bidPrice", v -> b.setBidPrice(dec(v)), "askPrice", v -> b.setAskPrice(dec(v)),
        "askAmount", v -> b.setAskAmount(dec(v)), "base", b::setBase,
        "eventTime", v -> b.setEventTime(Instant.parse(v)));
    setters.get(kv[0]).accept(kv[1]);
    byte[] payload = EventTypes.codec(Quote.class).encode(b.build());

    try (var h = run(payload)) {
      assertThat(h.extractOutputValues()).isEmpty();
      DeadLetter d = h.getSideOutput(DeadLetters.TAG).poll().getValue();
      assertThat(d.getErrorType()).isEqualTo("INVALID_QUOTE");
      assertThat(d.getReason()).contains(reason);
      assertThat(d.getSourceTopic()).isEqualTo("market_data.quotes");
      assertThat(d.getSourceOffset()).isEqualTo(9);
      assertThat(d.getPayload().array()).isEqualTo(payload);
      assertThat(d.getStage()).isEqualTo(QuoteNormalizer.STAGE);
    }
  }

  @Test
  void bytesThatAreNotAQuoteAreDeadLetteredNotThrown() throws Exception {
    try (var h = run("{\"bid\": 1}".getBytes(StandardCharsets.UTF_8))) {
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(h.getSideOutput(DeadLetters.TAG).poll().getValue().getErrorType()).isEqualTo("NOT_SINGLE_OBJECT");
    }
  }
}
