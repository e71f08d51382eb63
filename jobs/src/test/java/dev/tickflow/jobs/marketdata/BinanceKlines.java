package dev.tickflow.jobs.marketdata;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binance klines as ccxt wrote them: {@code [open_time_ms, open, high, low, close, volume]}. Numbers are read
 * as their decimal text, so {@code 0.00141342} stays exactly that.
 */
public record BinanceKlines(Map<Long, Kline> byOpenTime) {

  public record Kline(long openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
      BigDecimal volume) {}

  public static BinanceKlines read(InputStream json) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    Map<Long, Kline> klines = new TreeMap<>();
    for (JsonNode row : mapper.readTree(json)) {
      long t = row.get(0).asLong();
      klines.put(t, new Kline(t, row.get(1).decimalValue(), row.get(2).decimalValue(), row.get(3).decimalValue(),
          row.get(4).decimalValue(), row.get(5).decimalValue()));
    }
    return new BinanceKlines(klines);
  }
}
