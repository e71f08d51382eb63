package dev.tickflow.ingestors.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

  @Test
  void laterLayersWinDefaultsFileEnvironmentFlags() {
    Properties file = new Properties();
    file.setProperty("symbols", "BTC/USDT");
    file.setProperty("exchange", "kraken");
    file.setProperty("idle-timeout", "45s");
    file.setProperty("metrics-port", "9500");
    Map<String, String> env = Map.of("TICKFLOW_INGEST_EXCHANGE", "coinbase", "TICKFLOW_KAFKA_BOOTSTRAP", "k:1",
        "TICKFLOW_INGEST_METRICS_PORT", "9600");
    Map<String, String> flags = Map.of("metrics-port", "0", "quotes", "true");

    IngestConfig c = IngestConfig.resolve(file, env, flags);

    assertThat(c.exchange()).isEqualTo("coinbase");
    assertThat(c.symbols()).containsExactly("BTC/USDT");
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.metricsPort()).isZero();
    assertThat(c.quotes()).isTrue();
    assertThat(c.bootstrapServers()).isEqualTo("k:1");
    assertThat(c.topic()).isEqualTo("market_data.raw");
    assertThat(c.ingestorId()).startsWith("coinbase@");
  }

  @Test
  void defaultsAloneNeedOnlySymbols() {
    IngestConfig c = IngestConfig.resolve(null, Map.of(), Map.of("symbols", "btc/usdt,ETH/USDT", "rest-url",
        "http://localhost:1"));
    assertThat(c.exchange()).isEqualTo("binance");
    assertThat(c.symbols()).isEqualTo(List.of("BTC/USDT", "ETH/USDT"));
    assertThat(c.restUrl()).isEqualTo(URI.create("http://localhost:1"));
    assertThat(c.trades()).isTrue();
    assertThat(c.metricsPort()).isEqualTo(9400);
    assertThat(c.maxBlock()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.relayCurve()).as("CURVE is off unless asked for").isNull();
  }

  @Test
  void curveKeysForTheWorkQueueComeFromTheEnvironmentOrFlags() {
    String serverKey = dev.tickflow.relay.security.CurveKeyPair.generate().publicKey();
    IngestConfig c = IngestConfig.resolve(null, Map.of("TICKFLOW_INGEST_RELAY_CURVE_SERVER_KEY", serverKey),
        Map.of("symbols", "A/B", "relay-curve-keys", "/etc/tickflow/ingestor.key"));
    assertThat(c.relayCurve()).isEqualTo(new dev.tickflow.relay.security.CurveClientKeys(serverKey,
        "/etc/tickflow/ingestor.key"));
  }

  @Test
  void wrongSettingsSayWhichAndWhy() {
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of(), Map.of()))
        .hasMessageContaining("--symbols");
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of(), Map.of("symbols", "BTCUSDT")))
        .hasMessageContaining("'BTCUSDT' is not BASE/QUOTE");
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of(), Map.of("symbols", "A/B", "idle-timeout", "soon")))
        .hasMessageContaining("idle-timeout: 'soon' is not a duration");
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of(), Map.of("symbols", "A/B", "exchange", "mtgox")))
        .hasMessageContaining("supported: binance, coinbase, kraken");
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of("TICKFLOW_INGEST_RELAY_CURVE_KEYS", "me.key"),
        Map.of("symbols", "A/B"))).hasMessage("CURVE needs both relay-curve-server-key and relay-curve-keys");
    assertThatThrownBy(() -> IngestConfig.resolve(null, Map.of(), Map.of("symbols", "A/B",
        "relay-curve-server-key", "short", "relay-curve-keys", "me.key"))).hasMessageContaining("the relay's public key");
    Properties file = new Properties();
    file.setProperty("simbols", "A/B");
    assertThatThrownBy(() -> IngestConfig.resolve(file, Map.of(), Map.of()))
        .hasMessageContaining("unknown key 'simbols'");
  }
}
