package dev.tickflow.jobs.marketdata;

import dev.tickflow.jobs.io.DeadLetters;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.Timeframe;
import dev.tickflow.schemas.codec.EventCodec;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Candle;
import dev.tickflow.schemas.event.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Rolls a ticker's final candles of one timeframe up into a coarser one (1m into 5m, 5m into 15m, ... 4h into 1d)
 * instead of aggregating trades again: each coarser bar keeps a few numbers instead of every trade, and the
 * result is exactly what aggregating the trades directly would give (open of the earliest sub-bar, close of the
 * latest, exact sums). A coarser bar is emitted, final, when the watermark passes its end; its state and timer
 * are then gone. Provisional (non-final) inputs are ignored; a sub-bar for a coarser bar already emitted is
 * dead-lettered as late.
 */
public final class CandleRollup extends KeyedProcessFunction<String, Candle, Candle> {

  private static final long serialVersionUID = 1L;
  static final String STAGE = "market-data/rollup";

  private final Timeframe from;
  private final Timeframe to;

  private transient MapState<Long, RollupAccumulator> openBars;
  private transient EventCodec<Candle> candleCodec;
  private transient Counter late;

  public CandleRollup(Timeframe from, Timeframe to) {
    if (to.millis() <= from.millis() || to.millis() % from.millis() != 0) {
      throw new IllegalArgumentException(to.label() + " bars cannot be built from " + from.label() + " bars");
    }
    this.from = from;
    this.to = to;
  }

  @Override
  public void open(OpenContext openContext) {
    openBars = getRuntimeContext().getMapState(new MapStateDescriptor<>(
        "rollup-open-bars-" + to.label(), Types.LONG, TypeInformation.of(RollupAccumulator.class)));
    candleCodec = EventTypes.codec(Candle.class);
    late = getRuntimeContext().getMetricGroup().counter("lateCandles");
  }

  @Override
  public void processElement(Candle c, Context ctx, Collector<Candle> out) throws Exception {
    if (!c.getIsFinal() || !c.getTimeframe().equals(from.label())) {
      return;
    }
    long openTime = to.barOpen(c.getOpenTime().toEpochMilli());
    long lastMilli = openTime + to.millis() - 1;
    long watermark = ctx.timerService().currentWatermark();
    if (lastMilli <= watermark) {
      late.inc();
      ctx.output(DeadLetters.TAG, lateCandle(c, openTime, watermark));
      return;
    }
    RollupAccumulator bar = openBars.get(openTime);
    if (bar == null) {
      openBars.put(openTime, RollupAccumulator.first(c, openTime));
      ctx.timerService().registerEventTimeTimer(lastMilli);
    } else {
      bar.add(c);
      openBars.put(openTime, bar);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Candle> out) throws Exception {
    long openTime = timestamp + 1 - to.millis();
    RollupAccumulator bar = openBars.get(openTime);
    if (bar != null) {
      out.collect(bar.toCandle(to));
      openBars.remove(openTime);
    }
  }

  private DeadLetter lateCandle(Candle c, long openTime, long watermark) {
    String ticker = Ticker.key(c.getExchange(), c.getBase(), c.getQuote());
    return DeadLetter.newBuilder()
        .setPayload(ByteBuffer.wrap(candleCodec.encode(c)))
        .setKey(ByteBuffer.wrap(ticker.getBytes(StandardCharsets.UTF_8)))
        .setReason(from.label() + " bar " + c.getOpenTime() + " arrived after the " + to.label() + " bar opening "
            + Instant.ofEpochMilli(openTime) + " was final (watermark " + Instant.ofEpochMilli(watermark) + ")")
        .setErrorType("LATE")
        .setStage(STAGE)
        .setSourceTopic(c.getSource().getTopic())
        .setSourcePartition(c.getSource().getPartition())
        .setSourceOffset(c.getSource().getFromOffset())
        .setEventTime(c.getEventTime())
        .setIngestTime(c.getIngestTime())
        .build();
  }
}
