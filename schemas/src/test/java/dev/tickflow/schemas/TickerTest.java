package dev.tickflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TickerTest {

  @Test
  void parsesAndPrintsTheCanonicalForm() {
    Ticker t = Ticker.parse(" binance:xrp/eth ");
    assertThat(t).isEqualTo(Ticker.of("BINANCE", "XRP", "ETH"));
    assertThat(t.toString()).isEqualTo("BINANCE:XRP/ETH");
    assertThat(t.symbol()).isEqualTo("XRP/ETH");
    assertThat(t.relayTopic("ohlc:1m")).isEqualTo("BINANCE:XRP/ETH|ohlc:1m");
  }

  @Test
  void refusesMalformedTickersSayingWhy() {
    assertThatThrownBy(() -> Ticker.parse("BINANCE-XRP-ETH")).hasMessageContaining("EXCHANGE:BASE/QUOTE");
    assertThatThrownBy(() -> Ticker.parse("BINANCE:XRP/")).hasMessageContaining("EXCHANGE:BASE/QUOTE");
    assertThatThrownBy(() -> Ticker.of("BINANCE", "XRP ETH", "ETH")).hasMessageContaining("base");
    assertThatThrownBy(() -> Ticker.of("BINANCE", "XRP", null)).hasMessageContaining("quote is missing");
    assertThatThrownBy(() -> Ticker.of("B", "X", "Y").relayTopic("a|b")).hasMessageContaining("'|'");
    // each part: a letter or digit, then up to 31 more of letters, digits, '.', '_', '-'
    assertThat(Ticker.of("kraken", "xbt.d", "usd_1-a").toString()).isEqualTo("KRAKEN:XBT.D/USD_1-A");
    assertThat(Ticker.of("B", "A".repeat(32), "Y").base()).hasSize(32);
    assertThatThrownBy(() -> Ticker.of("B", "A".repeat(33), "Y")).hasMessageContaining("1-32");
    assertThatThrownBy(() -> Ticker.of("B", ".XRP", "Y")).hasMessageContaining("base '.XRP'");
    assertThatThrownBy(() -> Ticker.of("B", "", "Y")).hasMessageContaining("base ''");
    assertThatThrownBy(() -> Ticker.of("B", "X", "ÉTH")).hasMessageContaining("quote");
    assertThatThrownBy(() -> Ticker.of("B:C", "X", "Y")).hasMessageContaining("exchange");
  }
}
