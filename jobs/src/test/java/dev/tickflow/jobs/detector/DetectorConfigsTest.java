package dev.tickflow.jobs.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.tickflow.schemas.Timeframe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Config files: the examples in docs/detectors parse and match the published schema; mistakes are all named. */
class DetectorConfigsTest {

  private static final Path DOCS = Path.of("../docs");
  private static final JsonSchema SCHEMA = schema();

  private static JsonSchema schema() {
    try {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(new ObjectMapper().readTree(DOCS.resolve("detector.schema.json").toFile()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Path> examples() throws Exception {
    return Files.list(DOCS.resolve("detectors")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleParsesAndMatchesThePublishedSchema(Path file) throws Exception {
    String text = Files.readString(file);
    DetectorConfig config = DetectorConfigs.parse(text);
    assertThat(config.rules()).isNotEmpty();
    JsonNode tree = new YAMLMapper().readTree(text);
    assertThat(SCHEMA.validate(tree)).as(file.toString()).isEmpty();
  }

  @Test
  void theMomentumExampleReadsAsWritten() throws Exception {
    DetectorConfig c = DetectorConfigs.parse(Files.readString(DOCS.resolve("detectors/momentum.yaml")));
    assertThat(c.name()).isEqualTo("xrp-momentum@1");
    assertThat(c.timeframe()).isEqualTo(Timeframe.M1);
    assertThat(c.indicators()).containsOnlyKeys("ema_fast", "ema_slow", "rsi");
    assertThat(c.rules()).extracting(RuleSpec::id).startsWith("ema-cross-up", "ema-cross-down");
    assertThat(c.longThreshold()).isEqualByComparingTo("3");
    assertThat(c.cooldown()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.watches("BINANCE:XRP/ETH")).isTrue();
    assertThat(c.watches("BINANCE:XRP/BTC")).isFalse();
    assertThat(DetectorConfigs.parse(c.source())).as("the normalised JSON reads back the same")
        .isEqualTo(c);
  }

  @Test
  void aWildcardTickerMatchesAnyTextInItsPlace() {
    DetectorConfig c = DetectorConfigs.parse(DetectorEngineTest.MOMENTUM);
    assertThat(c.watches("BINANCE:ADA/ETH")).isTrue();
    assertThat(c.watches("BINANCE:ADA/ETHX")).isFalse();
    assertThat(c.watches("KRAKEN:ADA/ETH")).isFalse();
  }

  @Test
  void everyMistakeIsNamedAtOnce() {
    String bad = """
        id: "bad id!"
        version: 0
        tickers: [XRPETH]
        timeframe: 7m
        colour: red
        indicators:
          close: {type: sma, period: 3}
          fast: {type: wma, period: 0}
        rules:
          - {id: r1, when: {greater_than: [close, slow]}, weight: 1}
          - {id: r1, when: {crosses_sideways: [close, 1]}, weight: -2, direction: up}
        thresholds: {}
        cooldown: soon
        """;
    assertThatThrownBy(() -> DetectorConfigs.parse(bad)).isInstanceOfSatisfying(InvalidDetectorConfigException.class,
        e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "unknown key 'colour' (known: cooldown, description, id, indicators, rules, thresholds, tickers, timeframe, version)",
            "id 'bad id!' must be 1-64 letters, digits, '.', '_' or '-'",
            "version must be a whole number from 1 up, not 0",
            "ticker 'XRPETH' is not EXCHANGE:BASE/QUOTE, e.g. BINANCE:XRP/ETH",
            "timeframe: timeframe '7m' is not one of 1m, 5m, 15m, 1h, 4h, 1d",
            "indicator 'close': a name is lower case letters, digits and '_', and not a bar field",
            "indicator 'fast': type 'wma' is not one of sma, ema, rsi, atr, bollinger, vwap, volume_average, highest, lowest",
            "indicator 'fast': period must be a whole number from 1 to 10000",
            "rule 'r1' greater_than: 'slow' is neither an indicator of this detector (), a bar field nor a number",
            "rule 'r1': two rules have this id",
            "rule 'r1' weight must be a positive number, not -2",
            "rule 'r1': direction 'up' is not long, short or both",
            "rule 'r1': unknown condition 'crosses_sideways' (breakout_high, breakout_low, crosses_above, crosses_below, "
                + "falling_closes, greater_than, less_than, pattern, rising_closes, volume_spike, within)",
            "thresholds must give a score for long, short or both",
            "cooldown 'soon' is not a duration (e.g. 5m, 90s)"));
  }

  @Test
  void notYamlAtAllIsSaidPlainly() {
    assertThatThrownBy(() -> DetectorConfigs.parse("id: [unclosed")).hasMessageStartingWith(
        "detector config is invalid: not YAML or JSON");
    assertThatThrownBy(() -> DetectorConfigs.parse("- a list")).hasMessageContaining("must be an object");
  }

  @Test
  void theSchemaRejectsWhatTheParserRejects() throws Exception {
    for (String bad : List.of(
        "{\"id\": \"x\", \"version\": 1, \"tickers\": [\"A:B/C\"], \"timeframe\": \"7m\", \"rules\": [{\"when\": {\"rising_closes\": 2}, \"weight\": 1}], \"thresholds\": {\"long\": 1}}",
        "{\"id\": \"x\", \"version\": 1, \"tickers\": [\"A:B/C\"], \"timeframe\": \"1m\", \"rules\": [{\"when\": {\"rising_closes\": 2, \"falling_closes\": 2}, \"weight\": 1}], \"thresholds\": {\"long\": 1}}",
        "{\"id\": \"x\", \"version\": 1, \"tickers\": [\"A:B/C\"], \"timeframe\": \"1m\", \"rules\": [{\"when\": {\"rising_closes\": 2}, \"weight\": 0}], \"thresholds\": {\"long\": 1}}",
        "{\"id\": \"x\", \"version\": 1, \"tickers\": [\"A:B/C\"], \"timeframe\": \"1m\", \"rules\": [{\"when\": {\"rising_closes\": 2}, \"weight\": 1}], \"thresholds\": {}}")) {
      assertThat(SCHEMA.validate(new ObjectMapper().readTree(bad))).as(bad).isNotEmpty();
      assertThatThrownBy(() -> DetectorConfigs.parse(bad)).isInstanceOf(InvalidDetectorConfigException.class);
    }
  }
}
