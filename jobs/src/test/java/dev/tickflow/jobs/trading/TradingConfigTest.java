package dev.tickflow.jobs.trading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradingConfigTest {

  @TempDir Path dir;

  @Test
  void theDocumentedExampleSpellsOutExactlyTheDefaults() {
    TradingConfig example = TradingConfig.load(Path.of("../docs/trading.example.yaml"));
    assertThat(example).isEqualTo(TradingConfig.defaults());
  }

  @Test
  void aFileOverridesOnlyWhatItNames() throws Exception {
    Path f = Files.writeString(dir.resolve("t.yaml"), "advisor: {maxSpread: 0.002}\nrisk: {currency: ETH}\n");
    TradingConfig c = TradingConfig.load(f);
    assertThat(c.advisor().maxSpread()).isEqualByComparingTo("0.002");
    assertThat(c.advisor().minRewardRisk()).isEqualByComparingTo("1.2");
    assertThat(c.risk().currency()).isEqualTo("ETH");
    assertThat(c.paper()).isEqualTo(TradingConfig.defaults().paper());
  }

  @Test
  void anUnknownOrInvalidSettingIsRefusedNamingFileAndField() throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "risk: {maxDrawdown: 0.1}\n");
    assertThatThrownBy(() -> TradingConfig.load(typo)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typo.yaml").hasMessageContaining("unknown setting 'maxDrawdown'");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "advisor: {detectorWeight: 1.5}\n");
    assertThatThrownBy(() -> TradingConfig.load(bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.yaml").hasMessageContaining("detectorWeight must be in [0, 1]");
    Path window = Files.writeString(dir.resolve("w.yaml"), "risk: {tradingWindows: [\"9-17\"]}\n");
    assertThatThrownBy(() -> TradingConfig.load(window)).hasMessageContaining("'9-17' is not HH:MM-HH:MM");
  }
}
