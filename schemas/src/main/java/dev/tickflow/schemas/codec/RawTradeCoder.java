package dev.tickflow.schemas.codec;

import static dev.tickflow.schemas.codec.FieldCoding.required;

import dev.tickflow.schemas.event.RawTrade;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/** {@link RecordCoder} of {@link RawTrade}: what ingestors write for every trade and the market-data job reads. */
final class RawTradeCoder implements RecordCoder<RawTrade> {

  static final RawTradeCoder INSTANCE = new RawTradeCoder();

  private RawTradeCoder() {}

  @Override
  public void encode(RawTrade t, Encoder out) throws IOException {
    out.writeString(required(t.getExchange(), "RawTrade.exchange"));
    out.writeString(required(t.getSymbol(), "RawTrade.symbol"));
    out.writeString(required(t.getVenueSymbol(), "RawTrade.venueSymbol"));
    out.writeString(required(t.getTradeId(), "RawTrade.tradeId"));
    out.writeString(required(t.getPrice(), "RawTrade.price"));
    out.writeString(required(t.getAmount(), "RawTrade.amount"));
    FieldCoding.writeSide(t.getSide(), "RawTrade.side", out);
    FieldCoding.writeInstant(t.getEventTime(), "RawTrade.eventTime", out);
    FieldCoding.writeInstant(t.getIngestTime(), "RawTrade.ingestTime", out);
    out.writeString(required(t.getFormat(), "RawTrade.format"));
    writeInfo(required(t.getInfo(), "RawTrade.info"), out);
    out.writeString(required(t.getIngestorId(), "RawTrade.ingestorId"));
    FieldCoding.writeOptionalString(t.getHistoryRequestId(), out);
  }

  @Override
  public RawTrade decode(Decoder in) throws IOException {
    return new RawTrade(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
        in.readString(), FieldCoding.readSide(in), FieldCoding.readInstant(in), FieldCoding.readInstant(in),
        in.readString(), readInfo(in), in.readString(), FieldCoding.readOptionalString(in));
  }

  private static void writeInfo(Map<String, String> info, Encoder out) throws IOException {
    out.writeMapStart();
    out.setItemCount(info.size());
    for (Map.Entry<String, String> e : info.entrySet()) {
      out.startItem();
      out.writeString(required(e.getKey(), "RawTrade.info key"));
      out.writeString(required(e.getValue(), "RawTrade.info value"));
    }
    out.writeMapEnd();
  }

  private static Map<String, String> readInfo(Decoder in) throws IOException {
    // not presized from the count: a corrupt count must not allocate; entries run out of bytes first
    Map<String, String> info = new HashMap<>();
    for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
      for (long i = 0; i < n; i++) {
        info.put(in.readString(), in.readString());
      }
    }
    return info;
  }
}
