package dev.tickflow.jobs.marketdata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.jobs.io.SourceRecord;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.Quote;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * Ten thousand generated quotes at the quote normalizer: valid books (crossed ones included), books with one
 * impossible field, random bytes, truncated and bit-flipped encodings. One outcome each, never an exception: a
 * quote that can be a real top of book (positive prices, sizes not negative, a possible time, a ticker that
 * cannot break a relay topic, encodable downstream), or a dead letter with its reason and the original bytes.
 */
class QuoteNormalizerPropertyTest {

  private static final long KAFKA_TIME = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  private static OneInputStreamOperatorTestHarness<SourceRecord, Quote> harness;
  private static long offset;

  enum Expect { QUOTE, DEAD_LETTER, EITHER }

  record Case(String what, byte[] value, Expect expect) {
    @Override
    public String toString() {
      return what + " (" + value.length + " bytes)";
    }
  }

  @Property(tries = 10_000, seed = "20261124", edgeCases = EdgeCasesMode.NONE, shrinking = ShrinkingMode.BOUNDED)
  void everyQuoteIsARealBookOrADeadLetterWithItsReason(@ForAll("quotes") Case c) throws Exception {
    if (harness == null) {
      harness = ProcessFunctionTestHarnesses.forProcessFunction(new QuoteNormalizer());
    }
    long at = offset++;
    harness.processElement(new StreamRecord<>(new SourceRecord("market_data.quotes", 0, at, KAFKA_TIME,
        Long.MIN_VALUE, "k".getBytes(StandardCharsets.UTF_8), c.value())));
    List<Quote> quotes = new ArrayList<>(harness.extractOutputValues());
    harness.getOutput().clear();
    List<DeadLetter> dead = new ArrayList<>();
    Queue<?> side = harness.getSideOutput(DeadLetters.TAG);
    if (side != null) {
      side.forEach(r -> dead.add((DeadLetter) ((StreamRecord<?>) r).getValue()));
      side.clear();
    }

    assertThat(quotes.size() + dead.size()).as("one outcome for " + c).isEqualTo(1);
    if (c.expect() == Expect.QUOTE) {
      assertThat(quotes).as(c.toString()).hasSize(1);
    } else if (c.expect() == Expect.DEAD_LETTER) {
      assertThat(dead).as(c.toString()).hasSize(1);
    }
    for (Quote q : quotes) {
      assertThat(q.getBidPrice().signum()).isPositive();
      assertThat(q.getAskPrice().signum()).isPositive();
      assertThat(q.getBidAmount().signum()).isNotNegative();
      assertThat(q.getAskAmount().signum()).isNotNegative();
      assertThat(q.getEventTime()).isAfterOrEqualTo(TradeNormalizer.EARLIEST_TRADE)
          .isBeforeOrEqualTo(Instant.ofEpochMilli(KAFKA_TIME).plus(TradeNormalizer.MAX_AHEAD_OF_INGEST));
      for (String part : List.of(q.getExchange(), q.getBase(), q.getQuote())) {
        assertThat(part.chars().noneMatch(ch -> ":/|".indexOf(ch) >= 0 || Character.isISOControl(ch)))
            .as("'" + part + "' is safe in a relay topic").isTrue();
      }
      Quote back = EventTypes.codec(Quote.class).decode(EventTypes.codec(Quote.class).encode(q));
      assertThat(back.getBidPrice()).isEqualByComparingTo(q.getBidPrice());
    }
    for (DeadLetter d : dead) {
      assertThat(d.getErrorType()).isNotBlank();
      assertThat(d.getReason()).isNotBlank();
      ByteBuffer b = d.getPayload().duplicate();
      byte[] kept = new byte[b.remaining()];
      b.get(kept);
      assertThat(kept).isEqualTo(c.value());
    }
  }

  @Provide
  Arbitrary<Case> quotes() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, validQuotes().map(q -> new Case("valid", encode(q), Expect.QUOTE))),
        Tuple.of(3, hostileQuotes()),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
            .map(b -> new Case("random bytes", b, Expect.EITHER))),
        Tuple.of(1, Combinators.combine(validQuotes(), Arbitraries.integers().between(0, 300)).as((q, cut) -> {
          byte[] full = encode(q);
          return new Case("truncated", java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1)),
              Expect.DEAD_LETTER);
        })),
        Tuple.of(1, Combinators.combine(validQuotes(), Arbitraries.integers().between(0, 10_000),
            Arbitraries.integers().between(0, 7)).as((q, at, bit) -> {
              byte[] b = encode(q);
              b[at % b.length] ^= (byte) (1 << bit);
              return new Case("bit flipped", b, Expect.EITHER);
            })));
  }

  private Arbitrary<Case> hostileQuotes() {
    return Combinators.combine(validQuotes(), Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 100)).as((q, field, pick) -> {
          Quote.Builder b = Quote.newBuilder(q);
          BigDecimal bad = List.of(BigDecimal.ZERO, new BigDecimal("-0.000000000000000001"), new BigDecimal("-5"))
              .get(pick % 3).setScale(18);
          String what = switch (field) {
            case 0 -> { b.setBidPrice(bad); yield "bid " + bad; }
            case 1 -> { b.setAskPrice(bad); yield "ask " + bad; }
            case 2 -> { b.setBidAmount(new BigDecimal("-1").setScale(18)); yield "negative bid size"; }
            case 3 -> {
              String[] tickers = {"", "X|Y", "A/B", "A:B", " "};
              String t = tickers[pick % tickers.length];
              b.setBase(t);
              yield "base '" + t + "'";
            }
            case 4 -> {
              Instant t = pick % 2 == 0 ? Instant.EPOCH : Instant.parse("9999-12-31T00:00:00Z");
              b.setEventTime(t).setIngestTime(t);
              yield "time " + t;
            }
            default -> {
              Instant t = Instant.ofEpochMilli(KAFKA_TIME).plusSeconds(86_401);
              b.setEventTime(t).setIngestTime(t);
              yield "a day after the broker's clock";
            }
          };
          return new Case(what, encode(b.build()), Expect.DEAD_LETTER);
        });
  }

  private Arbitrary<Quote> validQuotes() {
    Arbitrary<BigDecimal> price = Combinators.combine(Arbitraries.longs().between(1, 999_999_999_999L),
        Arbitraries.integers().between(0, 8)).as((u, s) -> BigDecimal.valueOf(u, s).setScale(18));
    Arbitrary<BigDecimal> size = Combinators.combine(Arbitraries.longs().between(0, 999_999_999L),
        Arbitraries.integers().between(0, 8)).as((u, s) -> BigDecimal.valueOf(u, s).setScale(18));
    Arbitrary<String> code = Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(2).ofMaxLength(6);
    Arbitrary<Instant> time = Arbitraries.longs().between(Instant.parse("2017-01-01T00:00:00Z").toEpochMilli(),
        Instant.parse("2026-11-01T00:00:00Z").toEpochMilli()).map(Instant::ofEpochMilli);
    return Combinators.combine(code, code, price, size, price, size, time).as((base, quote, bid, bidSize, ask,
        askSize, t) -> Quote.newBuilder().setExchange("BINANCE").setBase(base).setQuote(quote).setBidPrice(bid)
        .setBidAmount(bidSize).setAskPrice(ask).setAskAmount(askSize).setEventTime(t).setIngestTime(t)
        .setIngestorId("property").build());
  }

  private static byte[] encode(Quote q) {
    return EventTypes.codec(Quote.class).encode(q);
  }

  @AfterContainer
  static void close() throws Exception {
    if (harness != null) {
      harness.close();
      harness = null;
    }
  }
}
