package dev.tickflow.jobs.lake;

import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.FeedGap;
import dev.tickflow.schemas.event.PatternAlert;
import dev.tickflow.schemas.event.Quote;
import dev.tickflow.schemas.event.RuleContribution;
import dev.tickflow.schemas.event.Signal;
import dev.tickflow.schemas.event.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * Events as rows of their Iceberg tables, column for column in the order of
 * {@code dev.tickflow.catalog.tables.MarketTables} and {@code SignalTables}. {@code LakeRowsTest} checks each against its table schema.
 */
public final class LakeRows {

  private LakeRows() {}

  /** {@code market.trades}. */
  public static final class TradeRow implements MapFunction<Trade, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(Trade t) {
      return GenericRowData.of(
          str(Ticker.key(t.getExchange(), t.getBase(), t.getQuote())),
          str(t.getExchange()), str(t.getBase()), str(t.getQuote()), str(t.getTradeId()),
          dec(t.getPrice()), dec(t.getAmount()), str(t.getSide().name()),
          ts(t.getEventTime()), ts(t.getIngestTime()),
          str(t.getSource().getTopic()), t.getSource().getPartition(), t.getSource().getFromOffset(),
          t.getHistoryRequestId() == null ? null : str(t.getHistoryRequestId()));
    }
  }

  /** {@code market.ohlc_revisions}: every final version of a bar, appended. */
  public static final class CandleRow implements MapFunction<Candle, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(Candle c) {
      return candle(c);
    }
  }

  /**
   * {@code market.ohlc}, one row per bar: a revision deletes the bar's current row by its key (ticker,
   * timeframe, open_time) and inserts itself. Revision 0 is a plain insert, so only revisions cost an equality
   * delete in Iceberg.
   */
  public static final class CandleChange implements FlatMapFunction<Candle, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(Candle c, Collector<RowData> out) {
      if (c.getRevision() > 0) {
        GenericRowData delete = candle(c);
        delete.setRowKind(RowKind.DELETE);
        out.collect(delete);
      }
      out.collect(candle(c));
    }
  }

  /** {@code market.quotes}: every top-of-book change, appended. */
  public static final class QuoteRow implements MapFunction<Quote, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(Quote q) {
      return GenericRowData.of(
          str(Ticker.key(q.getExchange(), q.getBase(), q.getQuote())),
          str(q.getExchange()), str(q.getBase()), str(q.getQuote()),
          dec(q.getBidPrice()), dec(q.getBidAmount()), dec(q.getAskPrice()), dec(q.getAskAmount()),
          ts(q.getEventTime()), ts(q.getIngestTime()), str(q.getIngestorId()),
          str(q.getSource().getTopic()), q.getSource().getPartition(), q.getSource().getFromOffset());
    }
  }

  /** {@code market.gaps}: one row per gap an ingestor reported. */
  public static final class GapRow implements MapFunction<FeedGap, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(FeedGap g) {
      return GenericRowData.of(
          str(Ticker.key(g.getExchange(), g.getBase(), g.getQuote())),
          str(g.getExchange()), str(g.getBase()), str(g.getQuote()),
          str(g.getFromTradeId()), str(g.getToTradeId()), ts(g.getFromTime()), ts(g.getToTime()),
          g.getMissing(), g.getRecovered(), g.getRepaired(), str(g.getReason()), str(g.getIngestorId()),
          ts(g.getEventTime()),
          str(g.getSource().getTopic()), g.getSource().getPartition(), g.getSource().getFromOffset());
    }
  }

  /** {@code signals.alerts}: one row per pattern match. */
  public static final class AlertRow implements MapFunction<PatternAlert, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(PatternAlert a) {
      Map<StringData, StringData> attributes = new LinkedHashMap<>();
      a.getAttributes().forEach((k, v) -> attributes.put(str(k), str(v)));
      return GenericRowData.of(
          str(a.getAlertId()), str(Ticker.key(a.getExchange(), a.getBase(), a.getQuote())),
          str(a.getExchange()), str(a.getBase()), str(a.getQuote()), str(a.getPattern()), str(a.getTimeframe()),
          dec(a.getPrice()), str(a.getDescription()), new GenericMapData(attributes),
          ts(a.getEventTime()), ts(a.getIngestTime()),
          str(a.getSource().getTopic()), a.getSource().getPartition(), a.getSource().getFromOffset(),
          a.getSource().getToOffset());
    }
  }

  /** {@code signals.signals}: one row per signal, each rule's contribution as a list of structs. */
  public static final class SignalRow implements MapFunction<Signal, RowData> {
    private static final long serialVersionUID = 1L;

    @Override
    public RowData map(Signal s) {
      Object[] rules = new Object[s.getRules().size()];
      for (int i = 0; i < rules.length; i++) {
        RuleContribution r = s.getRules().get(i);
        Map<StringData, StringData> inputs = new LinkedHashMap<>();
        r.getInputs().forEach((k, v) -> inputs.put(str(k), str(v)));
        rules[i] = GenericRowData.of(str(r.getRule()), r.getFired(), dec(r.getWeight()), dec(r.getScore()),
            str(r.getDetail()), new GenericMapData(inputs));
      }
      return GenericRowData.of(
          str(s.getSignalId()), str(Ticker.key(s.getExchange(), s.getBase(), s.getQuote())),
          str(s.getExchange()), str(s.getBase()), str(s.getQuote()), str(s.getTimeframe()),
          str(s.getDirection().name()), dec(s.getScore()), dec(s.getPrice()), new GenericArrayData(rules),
          ts(s.getEventTime()), ts(s.getIngestTime()),
          str(s.getSource().getTopic()), s.getSource().getPartition(), s.getSource().getFromOffset(),
          s.getSource().getToOffset(), str(s.getDetectorId()), s.getDetectorVersion(), decOrNull(s.getThreshold()));
    }
  }

  static GenericRowData candle(Candle c) {
      return GenericRowData.of(
          str(Ticker.key(c.getExchange(), c.getBase(), c.getQuote())),
          str(c.getExchange()), str(c.getBase()), str(c.getQuote()), str(c.getTimeframe()),
          ts(c.getOpenTime()), ts(c.getCloseTime()),
          dec(c.getOpen()), dec(c.getHigh()), dec(c.getLow()), dec(c.getClose()),
          dec(c.getVolume()), dec(c.getQuoteVolume()), c.getTradeCount(), c.getRevision(),
          ts(c.getEventTime()), ts(c.getIngestTime()),
          str(c.getSource().getTopic()), c.getSource().getPartition(), c.getSource().getFromOffset(),
          c.getSource().getToOffset(), c.getIsFinal(),
          decOrNull(c.getTakerBuyVolume()), decOrNull(c.getTakerBuyQuoteVolume()), decOrNull(c.getVwap()),
          c.getRevisionReason() == null ? null : str(c.getRevisionReason()), str(c.getFeedHealth().name()));
  }

  private static DecimalData decOrNull(BigDecimal d) {
    return d == null ? null : dec(d);
  }

  private static StringData str(String s) {
    return StringData.fromString(s);
  }

  private static DecimalData dec(BigDecimal d) {
    return DecimalData.fromBigDecimal(Decimals.exact(d), Decimals.PRECISION, Decimals.SCALE);
  }

  private static TimestampData ts(Instant t) {
    return TimestampData.fromInstant(t);
  }
}
