package dev.tickflow.schemas.codec;

import static dev.tickflow.schemas.codec.FieldCoding.required;

import dev.tickflow.schemas.codec.FieldCoding.DecimalField;
import dev.tickflow.schemas.event.Trade;
import java.io.IOException;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

/** {@link RecordCoder} of {@link Trade}: every trade crosses the market-data job's network once and Kafka twice. */
final class TradeCoder implements RecordCoder<Trade> {

  static final TradeCoder INSTANCE = new TradeCoder();

  private static final DecimalField PRICE = DecimalField.of(Trade.SCHEMA$, "price");
  private static final DecimalField AMOUNT = DecimalField.of(Trade.SCHEMA$, "amount");

  private TradeCoder() {}

  @Override
  public void encode(Trade t, Encoder out) throws IOException {
    out.writeString(required(t.getExchange(), "Trade.exchange"));
    out.writeString(required(t.getBase(), "Trade.base"));
    out.writeString(required(t.getQuote(), "Trade.quote"));
    out.writeString(required(t.getTradeId(), "Trade.tradeId"));
    PRICE.write(t.getPrice(), out);
    AMOUNT.write(t.getAmount(), out);
    FieldCoding.writeSide(t.getSide(), "Trade.side", out);
    FieldCoding.writeInstant(t.getEventTime(), "Trade.eventTime", out);
    FieldCoding.writeInstant(t.getIngestTime(), "Trade.ingestTime", out);
    FieldCoding.writeSourceRange(t.getSource(), "Trade.source", out);
    FieldCoding.writeOptionalString(t.getHistoryRequestId(), out);
  }

  @Override
  public Trade decode(Decoder in) throws IOException {
    // Java evaluates arguments left to right: the fields are read in the schema's order.
    return new Trade(in.readString(), in.readString(), in.readString(), in.readString(), PRICE.read(in),
        AMOUNT.read(in), FieldCoding.readSide(in), FieldCoding.readInstant(in), FieldCoding.readInstant(in),
        FieldCoding.readSourceRange(in), FieldCoding.readOptionalString(in));
  }
}
