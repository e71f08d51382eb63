package dev.tickflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalsTest {

  @Test
  void parsesVenueTextExactly() {
    BigDecimal price = Decimals.parse("0.00141342");
    assertThat(price.scale()).isEqualTo(Decimals.SCALE);
    assertThat(price.compareTo(new BigDecimal("0.00141342"))).isZero();
    assertThat(Decimals.format(price)).isEqualTo("0.00141342");
    assertThat(Decimals.format(Decimals.parse("23.00000000"))).isEqualTo("23");
    assertThat(Decimals.format(Decimals.parse("1e-18"))).isEqualTo("0.000000000000000001");
    assertThat(Decimals.format(Decimals.parse("0"))).isEqualTo("0");
  }

  @Test
  void refusesWhatWouldNeedRounding() {
    assertThatThrownBy(() -> Decimals.parse("0.0000000000000000001")).hasMessageContaining("decimal places");
    assertThatThrownBy(() -> Decimals.parse("123456789012345678901")).hasMessageContaining("integer digits");
    // hostile exponents are refused from precision and scale alone, without building their billion digits
    assertThatThrownBy(() -> Decimals.parse("1e999999999")).hasMessageContaining("integer digits")
        .hasMessageContaining("1E+999999999");
    assertThatThrownBy(() -> Decimals.parse("1e-999999999")).hasMessageContaining("decimal places");
    assertThatThrownBy(() -> Decimals.parse("9".repeat(6000))).hasMessageContaining("(6000 digits, scale 0)");
    assertThat(Decimals.parse("1.50000000000000000000000000")).isEqualByComparingTo("1.5");
    assertThat(Decimals.parse("12E+3")).isEqualByComparingTo("12000");
    // at the edges of decimal(38,18), with and without trailing zeros to strip
    assertThat(Decimals.parse("99999999999999999999.999999999999999999").precision()).isEqualTo(38);
    assertThat(Decimals.parse("99999999999999999999.9999999999999999990000")).isEqualByComparingTo(
        "99999999999999999999.999999999999999999");
    assertThatThrownBy(() -> Decimals.parse("100000000000000000000")).hasMessageContaining("integer digits");
    assertThatThrownBy(() -> Decimals.parse("100000000000000000000.000000000000000000000"))
        .hasMessageContaining("integer digits");
    assertThat(Decimals.parse("0E+100").scale()).isEqualTo(18);
    assertThat(Decimals.parse("0.000000000000000000000").signum()).isZero();
    assertThat(Decimals.parse("23.00000000").scale()).isEqualTo(18);
    assertThatThrownBy(() -> Decimals.parse("abc")).hasMessageContaining("not a decimal number");
    assertThatThrownBy(() -> Decimals.parse("")).hasMessageContaining("missing");
    assertThatThrownBy(() -> Decimals.parse("NaN")).isInstanceOf(NumberFormatException.class);
  }
}
