package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.jobs.audit.CommittedRecords;
import dev.tickflow.jobs.io.Connectors;
import dev.tickflow.jobs.io.RunScope;
import dev.tickflow.jobs.marketdata.MarketDataJobConfig;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Topic;
import dev.tickflow.schemas.codec.EventTypes;
import dev.tickflow.schemas.event.Side;
import dev.tickflow.schemas.event.SourceRange;
import dev.tickflow.schemas.event.Trade;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records tickflow's Kafka sinks write carry the time they were written, not their event time. A topic someone
 * created with the broker's defaults (CreateTime, seven days' retention) must keep replayed 2019 history: stamped
 * with its event time it would be past retention on arrival, and the broker's next retention pass would delete
 * committed records (the benchmark lost the first seconds of its output that way).
 */
class OutputRecordTimestampsIT {

  @TempDir Path dir;

  @Test
  void oldHistoryIsStampedWithTheTimeItWasWrittenOnACreateTimeTopic() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), Ports.resolve(0), Ports.resolve(0), 2)) {
      RunScope scope = RunScope.audit("timestamps", Map.of());
      String topic = scope.outputTopic(Topic.MARKET_DATA_TRADES);
      try (Admin admin = kafka.admin()) {
        // no configs: the broker's defaults, message.timestamp.type=CreateTime
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      List<Trade> trades = new ArrayList<>();
      Instant eventTime = Instant.parse("2019-10-11T00:00:00Z");
      for (int i = 1; i <= 200; i++) {
        trades.add(trade(i, eventTime.plusMillis(250L * i)));
      }
      MarketDataJobConfig config = MarketDataJobConfig.defaults(kafka.bootstrapServers(), null, null).toBuilder()
          .scope(scope).build();
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(2);
      env.enableCheckpointing(200);
      // the elements carry their event time as Flink timestamps, as every trade in the market-data job does
      env.fromData(trades, TypeInformation.of(Trade.class))
          .assignTimestampsAndWatermarks(WatermarkStrategy.<Trade>forMonotonousTimestamps()
              .withTimestampAssigner((t, ts) -> t.getEventTime().toEpochMilli()))
          .sinkTo(Connectors.kafkaSink(config, Topic.MARKET_DATA_TRADES, Trade.class,
              t -> t.getTradeId().getBytes(StandardCharsets.UTF_8)));
      long before = System.currentTimeMillis();
      env.execute("output record timestamps");
      long after = System.currentTimeMillis();

      List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>();
      CommittedRecords.forEach(kafka.bootstrapServers(), topic, written::add);
      assertThat(written).hasSize(trades.size());
      for (ConsumerRecord<byte[], byte[]> r : written) {
        Trade t = EventTypes.codec(Trade.class).decode(r.value());
        assertThat(t.getEventTime()).isBefore(Instant.parse("2019-10-12T00:00:00Z"));
        assertThat(r.timestamp()).as("Kafka timestamp of trade %s", t.getTradeId()).isBetween(before, after);
      }
    }
  }

  private static Trade trade(int id, Instant time) {
    return Trade.newBuilder()
        .setExchange("BINANCE").setBase("XRP").setQuote("ETH")
        .setTradeId(Integer.toString(id))
        .setPrice(Decimals.parse("0.00141342"))
        .setAmount(Decimals.parse("12.5"))
        .setSide(Side.BUY)
        .setEventTime(time)
        .setIngestTime(time)
        .setSource(new SourceRange("market_data.raw", 0, (long) id, (long) id))
        .build();
  }
}
