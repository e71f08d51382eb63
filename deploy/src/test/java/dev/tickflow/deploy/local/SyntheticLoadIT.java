package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.catalog.sql.SqlRunner;
import dev.tickflow.catalog.tables.MarketTables;
import dev.tickflow.ingestors.replay.PacedTradeProducer;
import dev.tickflow.ingestors.RawTopicOptions;
import dev.tickflow.ingestors.synthetic.SyntheticConfig;
import dev.tickflow.ingestors.synthetic.SyntheticTrades;
import dev.tickflow.schemas.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many tickers, duplicates and out-of-order delivery through the whole stack: the lake ends with every distinct
 * trade exactly once. The synthetic source counts what it injected, so the expectation is exact.
 */
class SyntheticLoadIT {

  @TempDir Path dataDir;

  @Test
  void duplicatesAreRemovedAndNoTradeIsLostAcrossTwentyTickers() throws Exception {
    SyntheticConfig config = new SyntheticConfig(20, 2_000, 3, 0.05, 25, 10_000, 11,
        Instant.parse("2024-01-01T00:00:00Z"));
    try (LocalStack stack = LocalStack.start(LocalStackConfig.forTests(dataDir))) {
      SyntheticTrades trades = new SyntheticTrades(config);
      try (var producer = new KafkaProducer<String, byte[]>(RawTopicOptions.producerProperties(stack.kafkaBootstrap()))) {
        PacedTradeProducer out = new PacedTradeProducer(producer, Topic.MARKET_DATA_RAW.topicName(), 0);
        while (trades.hasNext()) {
          out.send(trades.next());
        }
        out.flush();
      }
      assertThat(trades.duplicates()).isPositive();

      Catalog catalog = stack.catalog().load();
      Table table = catalog.loadTable(MarketTables.TRADES_ID);
      Probes.waitFor("10,000 trades in market.trades", Duration.ofSeconds(120), () -> {
        table.refresh();
        return table.currentSnapshot() != null
            && Long.parseLong(table.currentSnapshot().summary().get("total-records")) >= 10_000;
      });
      ((AutoCloseable) catalog).close();

      List<List<Object>> counts;
      try (SqlRunner sql = new SqlRunner(stack.catalog())) {
        counts = sql.query("SELECT COUNT(*), COUNT(DISTINCT CONCAT(ticker, '#', trade_id)), COUNT(DISTINCT ticker) "
            + "FROM market.trades");
      }
      assertThat(((Number) counts.get(0).get(0)).longValue()).isEqualTo(10_000);
      assertThat(((Number) counts.get(0).get(1)).longValue()).isEqualTo(10_000);
      assertThat(((Number) counts.get(0).get(2)).longValue()).isEqualTo(20);
    }
  }
}
