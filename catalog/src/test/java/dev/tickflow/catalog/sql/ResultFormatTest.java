package dev.tickflow.catalog.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultFormatTest {

  @Test
  void arraysAndMapsPrintTheirElementsExactly() {
    assertThat(ResultFormat.text(new String[] {"3 losses in a row", "cooling down"}))
        .isEqualTo("[3 losses in a row, cooling down]");
    assertThat(ResultFormat.text(new Object[] {new BigDecimal("0.001413420000000000"), null}))
        .isEqualTo("[0.00141342, ]");
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("equity", new BigDecimal("9987.274498000000000000"));
    state.put("halt", "");
    assertThat(ResultFormat.text(state)).isEqualTo("{equity=9987.274498, halt=}");
  }
}
