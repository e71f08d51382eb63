package dev.tickflow.ingestors.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.event.RawTrade;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyntheticTradesTest {

  private static List<RawTrade> all(SyntheticTrades trades) {
    List<RawTrade> out = new ArrayList<>();
    trades.forEachRemaining(out::add);
    return out;
  }

  private static SyntheticConfig config(double duplicates, int displacement, long count) {
    return new SyntheticConfig(20, 1000, 4, duplicates, displacement, count, 7, Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void theSameSeedGivesTheSameTrades() {
    assertThat(all(new SyntheticTrades(config(0.05, 10, 2_000))))
        .isEqualTo(all(new SyntheticTrades(config(0.05, 10, 2_000))));
  }

  @Test
  void everyDistinctTradeComesOutAndOnlyTheCountedDuplicatesRepeat() {
    SyntheticTrades source = new SyntheticTrades(config(0.05, 25, 20_000));
    List<RawTrade> out = all(source);
    Set<String> distinct = new HashSet<>();
    for (RawTrade t : out) {
      distinct.add(t.getSymbol() + "#" + t.getTradeId());
    }
    assertThat(distinct).hasSize(20_000);
    assertThat(out).hasSize(20_000 + (int) source.duplicates());
    assertThat(source.duplicates()).isBetween(700L, 1_400L); // ~5% of ~21,000
  }

  @Test
  void noTradeArrivesMoreThanTheDisplacementLate() {
    List<RawTrade> out = all(new SyntheticTrades(config(0, 25, 20_000)));
    long worst = 0;
    long early = 0;
    for (int i = 0; i < out.size(); i++) {
      long seq = Long.parseLong(out.get(i).getInfo().get("seq")); // its place in generation order
      worst = Math.max(worst, i - seq);
      early = Math.max(early, seq - i);
    }
    assertThat(worst).isEqualTo(25); // some trade is as late as allowed, none later
    assertThat(early).isLessThanOrEqualTo(25);
  }

  @Test
  void pricesAndAmountsAreExactPositiveDecimalsOnTheirGrid() {
    for (RawTrade t : all(new SyntheticTrades(config(0, 0, 5_000)))) {
      BigDecimal price = Decimals.parse(t.getPrice());
      BigDecimal amount = Decimals.parse(t.getAmount());
      assertThat(price.signum()).isPositive();
      assertThat(amount.signum()).isPositive();
      assertThat(new BigDecimal(t.getPrice()).scale()).isEqualTo(2);
      assertThat(new BigDecimal(t.getAmount()).scale()).isEqualTo(4);
    }
  }

  @Test
  void theEventTimeRateFollowsTheConfiguration() {
    List<RawTrade> out = all(new SyntheticTrades(
        new SyntheticConfig(5, 1000, 1, 0, 0, 50_000, 3, Instant.parse("2024-01-01T00:00:00Z"))));
    long spanMillis = out.get(out.size() - 1).getEventTime().toEpochMilli() - out.get(0).getEventTime().toEpochMilli();
    assertThat(spanMillis).isBetween(48_000L, 52_000L); // 50,000 trades at 1,000/s
  }

  @Test
  void dryRunPrintsJsonAndBadOptionsSayWhy() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SyntheticCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    assertThat(cli.execute("--dry-run", "--count", "3", "--tickers", "2")).isZero();
    assertThat(out.toString().lines()).hasSize(3).allMatch(l -> l.startsWith("{\"@type\":\"RawTrade\""));
    assertThat(cli.execute("--duplicates", "0.9")).isEqualTo(2);
    assertThat(err.toString()).contains("duplicate ratio must be 0..0.5");
    assertThatThrownBy(() -> new SyntheticConfig(0, 1, 1, 0, 0, 1, 1, null)).hasMessageContaining("tickers");
  }
}
