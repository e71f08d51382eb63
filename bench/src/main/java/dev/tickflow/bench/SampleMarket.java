package dev.tickflow.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tickflow.ingestors.replay.SampleData;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedHealth;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The bundled 12 hours of Binance XRP/ETH as benchmark input: Binance's 1m klines as candles, and the trades. */
final class SampleMarket {

  private SampleMarket() {}

  /** The 720 klines as final 1m candles. */
  static List<Candle> candles() throws IOException {
    List<Candle> candles = new ArrayList<>();
    ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    try (InputStream in = SampleData.open(SampleData.KLINES_1M)) {
      long n = 0;
      for (JsonNode k : json.readTree(in)) {
        Instant open = Instant.ofEpochMilli(k.get(0).asLong());
        BigDecimal[] v = new BigDecimal[5];
        for (int i = 0; i < 5; i++) {
          v[i] = k.get(i + 1).decimalValue().setScale(18);
        }
        candles.add(Candle.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTimeframe("1m")
            .setOpenTime(open).setCloseTime(open.plusSeconds(60)).setOpen(v[0]).setHigh(v[1]).setLow(v[2])
            .setClose(v[3]).setVolume(v[4]).setQuoteVolume(BigDecimal.ZERO.setScale(18)).setTradeCount(1)
            .setIsFinal(true).setRevision(0).setEventTime(open).setIngestTime(open)
            .setSource(new SourceRange("market_data.ohlc", 0, n, n)).setFeedHealth(FeedHealth.UNKNOWN).build());
        n++;
      }
    }
    return candles;
  }

  /** The aggregated trades, taker side from Binance's is_buyer_maker. */
  static List<Trade> trades() throws IOException {
    List<Trade> trades = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(SampleData.open(SampleData.TRADES),
        StandardCharsets.UTF_8))) {
      r.readLine(); // header
      long n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(",");
        Instant t = Instant.ofEpochMilli(Long.parseLong(f[5]));
        trades.add(Trade.newBuilder().setExchange("BINANCE").setBase("XRP").setQuote("ETH").setTradeId(f[0])
            .setPrice(new BigDecimal(f[1]).setScale(18)).setAmount(new BigDecimal(f[2]).setScale(18))
            .setSide(Boolean.parseBoolean(f[6].toLowerCase()) ? Side.SELL : Side.BUY)
            .setEventTime(t).setIngestTime(t).setSource(new SourceRange("market_data.trades", 0, n, n)).build());
        n++;
      }
    }
    return trades;
  }

  /** The two example detectors the benchmarks run (momentum and breakout, copied from docs/detectors). */
  static List<dev.tickflow.jobs.detector.DetectorConfig> exampleDetectors() throws IOException {
    List<dev.tickflow.jobs.detector.DetectorConfig> detectors = new ArrayList<>();
    for (String name : List.of("momentum.yaml", "breakout.yaml")) {
      try (InputStream in = SampleMarket.class.getResourceAsStream("/detectors/" + name)) {
        detectors.add(dev.tickflow.jobs.detector.DetectorConfigs.parse(
            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return detectors;
  }
}
