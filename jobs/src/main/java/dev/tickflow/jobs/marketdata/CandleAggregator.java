package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import dev.tickflow.schemas.event.Trade;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Builds OHLC candles of one timeframe from a ticker's trades, in event time. A bar {@code [t, t + length)}
 * is emitted, final, once the watermark passes its end; its state and timer are then gone. A trade for a bar
 * already emitted is late: it goes to the dead-letter side output with the reason (revisions come later).
 *
 * <p>A bar nobody traded in is emitted flat at the previous close with zero volume, as Binance publishes its
 * klines: each emitted bar arms a timer for the next one. The run of empty bars is bounded ({@code maxFlatRun},
 * one day by default) so a ticker that stopped trading stops producing bars, and no empty bar is invented at
 * the end of a bounded input (watermark at its maximum). The ticker's last bar is the only state kept between
 * bars.
 */
public final class CandleAggregator extends KeyedProcessFunction<String, Trade, Candle> {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/candles";

  private final Timeframe timeframe;
  private final int maxFlatRun;

  private transient MapState<Long, BarAccumulator> openBars;
  private transient ValueState<BarAccumulator> lastBar;
  private transient Counter flat;
  private transient EventCodec<Trade> tradeCodec;
  private transient Counter late;
  private transient Counter emitted;

  public CandleAggregator(Timeframe timeframe) {
    this(timeframe, (int) (Duration.ofDays(1).toMillis() / timeframe.millis()));
  }

  /** @param maxFlatRun how many empty bars in a row are emitted after a traded one */
  public CandleAggregator(Timeframe timeframe, int maxFlatRun) {
    this.timeframe = timeframe;
    this.maxFlatRun = maxFlatRun;
  }

  @Override
  public void open(OpenContext openContext) {
    openBars = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "candles-open-bars-" + timeframe.label(), Types.LONG, TypeInformation.of(BarAccumulator.class)));
    lastBar = getRuntimeContext().getState(new ValueStateDescriptor<>(
        "candles-last-bar-" + timeframe.label(), TypeInformation.of(BarAccumulator.class)));
    tradeCodec = EventTypes.codec(Trade.class);
    flat = getRuntimeContext().getMetricGroup().counter("flatCandlesEmitted");
    late = getRuntimeContext().getMetricGroup().counter("lateTrades");
    emitted = getRuntimeContext().getMetricGroup().counter("candlesEmitted");
  }

  @Override
  public void processElement(Trade trade, Context ctx, Collector<Candle> out) throws Exception {
    long openTime = timeframe.barOpen(trade.getEventTime().toEpochMilli());
    long lastMilli = openTime + timeframe.millis() - 1;
    long watermark = ctx.timerService().currentWatermark();
    if (lastMilli <= watermark) {
      late.inc();
      ctx.output(DeadLetters.TAG, lateTrade(trade, ctx.getCurrentKey(), openTime, watermark));
      return;
    }
    BarAccumulator bar = openBars.get(openTime);
    if (bar == null) {
      openBars.put(openTime, BarAccumulator.first(trade, openTime));
      ctx.timerService().registerEventTimeTimer(lastMilli);
    } else {
      bar.add(trade);
      openBars.put(openTime, bar);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    long openTime = timestamp + 1 - timeframe.millis();
    long watermark = ctx.timerService().currentWatermark();
    BarAccumulator bar = openBars.get(openTime);
    if (bar != null) {
      openBars.remove(openTime);
    } else {
      BarAccumulator prev = lastBar.value();
      if (prev == null || prev.openTime + timeframe.millis() != openTime || watermark == Long.MAX_VALUE) {
        return; // nothing to carry over, or the input ended: no empty bar is invented past it
      }
      bar = BarAccumulator.flatAfter(prev, openTime);
      flat.inc();
    }
    out.collect(bar.toCandle(timeframe));
    emitted.inc();
    lastBar.update(bar);
    if (bar.flatRun < maxFlatRun && watermark != Long.MAX_VALUE) {
      ctx.timerService().registerEventTimeTimer(timestamp + timeframe.millis()); // the next bar, traded or not
    }
  }

  private DeadLetter lateTrade(Trade trade, String ticker, long openTime, long watermark) {
    var src = trade.getSource();
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(tradeCodec.encode(trade)))
        .setKey(ByteBuffer.wrap(ticker.getBytes(StandardCharsets.UTF_8)))
        .setReason("trade " + trade.getTradeId() + " at " + trade.getEventTime() + " is for the " + timeframe.label()
            + " bar opening " + Instant.ofEpochMilli(openTime) + ", which was final when the watermark reached "
            + Instant.ofEpochMilli(watermark))
        .setErrorType("LATE")
        .setStage(STAGE)
        .setSourceTopic(src.getTopic())
        .setSourcePartition(src.getPartition())
        .setSourceOffset(src.getFromOffset())
        .setEventTime(trade.getEventTime())
        .setIngestTime(trade.getIngestTime())
        .build();
  }
}
