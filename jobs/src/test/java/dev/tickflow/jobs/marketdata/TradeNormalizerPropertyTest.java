package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.feedhealth.FeedSignal;
import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.RawTrade;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Ten thousand generated raw records at the market-data job's first operator: valid trades, trades with one
 * impossible or adversarial field, random bytes, truncated and bit-flipped encodings. Every record gives exactly
 * one outcome and never an exception: a trade that is really a trade (positive exact price and amount, a
 * possible time, a ticker whose parts cannot break a relay topic, encodable by the downstream codec), or a dead
 * letter with its type, reason and the original bytes. Valid trades come out exactly.
 */
class TradeNormalizerPropertyTest {

  private static final Instant EARLIEST = Instant.parse("2017-01-01T00:00:00Z");
  /** When the records entered Kafka (LogAppendTime): the broker's clock, which a producer cannot set. */
  private static final long KAFKA_TIME = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  private static final String SEPARATORS = ":/|";

  /** Hostile values of one field; each must be refused. */
  private static final List<String> BAD_NUMBERS = List.of("", " ", "0", "0.000", "-0.1", "-5", "NaN", "Infinity",
      "-Infinity", "1e999999999", "1e-999999999", "abc", "1,5", "0x1A", "1.2.3", "--1", "+-1", "1e", ".", "e5",
      "9".repeat(6000), "0." + "0".repeat(40) + "1", "\u0000", "1\n2");
  private static final List<String> BAD_SYMBOLS = List.of("", "BTC", "/USDT", "BTC/", "/", "BTC|X/USDT",
      "BTC/US:DT", "BTC:USDT", "\u0000/USDT");
  private static final List<String> BAD_IDS = List.of("", " ", "\t\n");

  private static OneInputStreamOperatorTestHarness<SourceRecord, Trade> harness;
  private static long offset;

  enum Expect { TRADE, DEAD_LETTER, EITHER }

  record Case(String what, byte[] value, Expect expect, RawTrade raw) {
    @Override
    public String toString() {
      return what + " (" + value.length + " bytes)";
    }
  }

  // edge cases off: combinations of eight generators would crowd out the random cases the property is about
  @Property(tries = 10_000, seed = "20261124", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
  void everyRawRecordIsATrueTradeOrADeadLetterWithItsReason(@ForAll("records") Case c) throws Exception {
    OneInputStreamOperatorTestHarness<SourceRecord, Trade> h = harness();
    long at = offset++;
    h.processElement(new StreamRecord<>(new SourceRecord("market_data.raw", 0, at, KAFKA_TIME, 0L,
        "k".getBytes(StandardCharsets.UTF_8), c.value()), 0L));

    List<Trade> trades = new ArrayList<>(h.extractOutputValues());
    List<DeadLetter> dead = drain(h.getSideOutput(DeadLetters.TAG));
    List<?> feed = drain(h.getSideOutput(FeedSignal.TAG));
    h.getOutput().clear();

    assertThat(trades.size() + dead.size() + feed.size()).as("one outcome for " + c).isEqualTo(1);
    switch (c.expect()) {
      case TRADE -> assertThat(trades).as(c.toString()).hasSize(1);
      case DEAD_LETTER -> assertThat(dead).as(c.toString()).hasSize(1);
      case EITHER -> { }
    }
    for (Trade t : trades) {
      assertTrueTrade(t, at);
      if (c.expect() == Expect.TRADE) {
        RawTrade r = c.raw();
        assertThat(t.getPrice()).isEqualByComparingTo(new BigDecimal(r.getPrice()));
        assertThat(t.getAmount()).isEqualByComparingTo(new BigDecimal(r.getAmount()));
        assertThat(t.getTradeId()).isEqualTo(r.getTradeId());
        assertThat(t.getBase() + "/" + t.getQuote()).isEqualTo(r.getSymbol());
        assertThat(t.getEventTime()).isEqualTo(r.getEventTime());
      }
    }
    for (DeadLetter d : dead) {
      assertThat(d.getErrorType()).as(c.toString()).isNotBlank();
      assertThat(d.getReason()).as(c.toString()).isNotBlank();
      assertThat(d.getStage()).isEqualTo(TradeNormalizer.STAGE);
      assertThat(d.getSourceOffset()).isEqualTo(at);
      assertThat(bytes(d.getPayload())).as("the original bytes, kept").isEqualTo(c.value());
    }
  }

  private static void assertTrueTrade(Trade t, long at) {
    assertThat(t.getPrice().signum()).isPositive();
    assertThat(t.getAmount().signum()).isPositive();
    assertThat(t.getTradeId()).isNotBlank();
    assertThat(t.getEventTime()).isAfterOrEqualTo(TradeNormalizer.EARLIEST_TRADE)
        .isBeforeOrEqualTo(t.getIngestTime().plus(TradeNormalizer.MAX_AHEAD_OF_INGEST));
    for (String part : List.of(t.getExchange(), t.getBase(), t.getQuote())) {
      assertThat(part).isNotBlank();
      assertThat(part.chars().noneMatch(ch -> SEPARATORS.indexOf(ch) >= 0 || Character.isISOControl(ch)))
          .as("'" + part + "' cannot break a relay topic EXCHANGE:BASE/QUOTE|type").isTrue();
    }
    assertThat(t.getSource().getFromOffset()).isEqualTo(at);
    // the Kafka sink downstream encodes it: that must not fail either, and must round-trip exactly
    byte[] encoded = EventTypes.codec(Trade.class).encode(t);
    Trade back = EventTypes.codec(Trade.class).decode(encoded);
    assertThat(back.getPrice()).isEqualByComparingTo(t.getPrice());
    assertThat(back.getAmount()).isEqualByComparingTo(t.getAmount());
  }

  @Provide
  Arbitrary<Case> records() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, validTrades().map(r -> new Case("valid", encode(r), Expect.TRADE, r))),
        net.jqwik.api.Tuple.of(3, hostileTrades()),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)
            .map(b -> new Case("random bytes", b, Expect.EITHER, null))),
        net.jqwik.api.Tuple.of(1, Combinators.combine(validTrades(), Arbitraries.integers().between(0, 200))
            .as((r, cut) -> {
              byte[] full = encode(r);
              byte[] part = java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1));
              return new Case("truncated at " + part.length, part, Expect.DEAD_LETTER, null);
            })),
        net.jqwik.api.Tuple.of(1, Combinators.combine(validTrades(), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 7))
            .as((r, at, bit) -> {
              byte[] b = encode(r);
              b[at % b.length] ^= (byte) (1 << bit);
              return new Case("bit " + bit + " flipped at " + at % b.length, b, Expect.EITHER, null);
            })));
  }

  private Arbitrary<Case> hostileTrades() {
    return Combinators.combine(validTrades(), Arbitraries.integers().between(0, 5),
            Arbitraries.integers().between(0, 1000))
        .as((r, field, pick) -> {
          RawTrade.Builder b = RawTrade.newBuilder(r);
          String what;
          switch (field) {
            case 0 -> {
              what = "price '" + abbreviate(BAD_NUMBERS.get(pick % BAD_NUMBERS.size())) + "'";
              b.setPrice(BAD_NUMBERS.get(pick % BAD_NUMBERS.size()));
            }
            case 1 -> {
              what = "amount '" + abbreviate(BAD_NUMBERS.get(pick % BAD_NUMBERS.size())) + "'";
              b.setAmount(BAD_NUMBERS.get(pick % BAD_NUMBERS.size()));
            }
            case 2 -> {
              what = "symbol '" + BAD_SYMBOLS.get(pick % BAD_SYMBOLS.size()) + "'";
              b.setSymbol(BAD_SYMBOLS.get(pick % BAD_SYMBOLS.size()));
            }
            case 3 -> {
              what = "trade id '" + BAD_IDS.get(pick % BAD_IDS.size()) + "'";
              b.setTradeId(BAD_IDS.get(pick % BAD_IDS.size()));
            }
            case 4 -> {
              Instant[] times = {Instant.EPOCH, Instant.parse("2008-12-31T23:59:59Z"),
                  r.getIngestTime().plusSeconds(86_401), Instant.parse("9999-12-31T23:59:59Z"),
                  Instant.ofEpochMilli(KAFKA_TIME).plusSeconds(86_401)};
              int i = pick % (times.length + 2);
              Instant t = times[Math.min(i, times.length - 1) == i ? i : i - 2];
              boolean vouched = i >= times.length; // the last two again, the producer's ingest time agreeing
              what = "event time " + t + (vouched ? ", ingest time the same" : "");
              b.setEventTime(t);
              if (vouched) {
                b.setIngestTime(t); // the broker's clock still refuses it
              }
            }
            default -> {
              what = "exchange '" + (pick % 2 == 0 ? "" : "BIN|ANCE") + "'";
              b.setExchange(pick % 2 == 0 ? "" : "BIN|ANCE");
            }
          }
          RawTrade hostile = b.build();
          return new Case(what, encode(hostile), Expect.DEAD_LETTER, hostile);
        });
  }

  private Arbitrary<RawTrade> validTrades() {
    Arbitrary<String> code = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(2).ofMaxLength(6);
    Arbitrary<String> decimal = Combinators.combine(Arbitraries.longs().between(1, 999_999_999_999L),
        Arbitraries.integers().between(0, 8)).as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale)
        .toPlainString());
    Arbitrary<Instant> time = Arbitraries.longs().between(EARLIEST.toEpochMilli(),
        Instant.parse("2026-11-01T00:00:00Z").toEpochMilli()).map(Instant::ofEpochMilli);
    return Combinators.combine(code, code, Arbitraries.longs().between(1, Long.MAX_VALUE), decimal, decimal,
            Arbitraries.of(Side.values()), time, Arbitraries.longs().between(0, 5_000))
        .as((base, quote, id, price, amount, side, t, lag) -> RawTrade.newBuilder()
            .setExchange("BINANCE").setSymbol(base + "/" + quote).setVenueSymbol(base + quote)
            .setTradeId(Long.toString(id)).setPrice(price).setAmount(amount).setSide(side)
            .setEventTime(t).setIngestTime(t.plusMillis(lag)).setFormat("property").setInfo(Map.of())
            .build());
  }

  private static byte[] encode(RawTrade r) {
    return EventTypes.codec(RawTrade.class).encode(r);
  }

  private static String abbreviate(String s) {
    return s.length() > 24 ? s.substring(0, 12) + "…(" + s.length() + " chars)" : s;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> drain(Queue<?> side) {
    List<T> out = new ArrayList<>();
    if (side != null) {
      for (Object o : side) {
        out.add(((StreamRecord<T>) o).getValue());
      }
      side.clear();
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer copy = b.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  private static OneInputStreamOperatorTestHarness<SourceRecord, Trade> harness() throws Exception {
    if (harness == null) {
      harness = ProcessFunctionTestHarnesses.forProcessFunction(new TradeNormalizer());
    }
    return harness;
  }

  @AfterContainer
  static void close() throws Exception {
    if (harness != null) {
      harness.close();
      harness = null;
    }
  }
}
