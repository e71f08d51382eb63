package dev.tickflow.ingestors.replay;

import java.io.InputStream;
import java.io.UncheckedIOException;

/** The 12 hours of Binance XRP/ETH trades and klines bundled as resources (see their SOURCE.txt). */
public final class SampleData {

  static final String DIR = "/dev/tickflow/ingestors/samples/binance-xrpeth-2019/";
  public static final String TRADES = "XRPETH-aggTrades-2019-10-11T00-12.csv";
  public static final String KLINES_1M = "XRP_ETH-1m-2019-10-11T00-12.json";
  public static final String KLINES_5M = "XRP_ETH-5m-2019-10-11T00-12.json";

  private SampleData() {}

  public static InputStream open(String name) {
    InputStream in = SampleData.class.getResourceAsStream(DIR + name);
    if (in == null) {
      throw new UncheckedIOException(new java.io.FileNotFoundException("bundled sample " + name + " is missing"));
    }
    return in;
  }
}
