package dev.tickflow.ingestors;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Option;

/**
 * Where an ingestor command produces to, as options every such command shares (a picocli mixin), and the one
 * definition of how tickflow producers are configured.
 */
public final class RawTopicOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:TICKFLOW_KAFKA_BOOTSTRAP:-localhost:9092}",
      description = "Kafka bootstrap servers (env TICKFLOW_KAFKA_BOOTSTRAP; default: ${DEFAULT-VALUE}).")
  public String bootstrapServers;

  @Option(names = "--topic", defaultValue = "market_data.raw", description = "Target topic (default: ${DEFAULT-VALUE}).")
  public String topic;

  /** A producer with {@link #producerProperties}; the caller closes it. */
  public Producer<String, byte[]> producer() {
    return new KafkaProducer<>(producerProperties(bootstrapServers));
  }

  /** Idempotent, fully acknowledged producer: a retry never duplicates a trade in the raw topic. */
  public static Properties producerProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tickflow-ingestor");
    return p;
  }
}
