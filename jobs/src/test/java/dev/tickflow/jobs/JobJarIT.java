package dev.tickflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar is what a Flink cluster runs unchanged: tickflow, connectors and Iceberg inside, Flink's own
 * runtime and logging left to the cluster, and service files merged so table factories and catalogs are found.
 * Runs after 'package' (Failsafe), on the jar the build just made.
 */
class JobJarIT {

  @Test
  void theJobJarHoldsWhatTheClusterLacksAndNothingItHas() throws IOException {
    try (JarFile jar = new JarFile(jobJar().toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.tickflow.jobs.marketdata.MarketDataJob");
      Set<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
      assertThat(entries).contains(
          "dev/tickflow/jobs/marketdata/MarketDataJob.class",
          "dev/tickflow/schemas/event/Trade.class",
          "dev/tickflow/catalog/tables/MarketTables.class",
          "dev/tickflow/relay/RelayPublisher.class",
          "org/apache/flink/connector/kafka/sink/KafkaSink.class",
          "org/apache/flink/connector/base/DeliveryGuarantee.class",
          "org/apache/flink/formats/avro/typeutils/AvroSerializer.class",
          "org/apache/iceberg/flink/sink/FlinkSink.class",
          "org/apache/iceberg/aws/s3/S3FileIO.class",
          "org/zeromq/ZMQ.class",
          "org/apache/flink/cep/CEP.class",
          "com/fasterxml/jackson/dataformat/yaml/YAMLMapper.class",
          "dev/tickflow/jobs/patterns/default-patterns.yaml",
          "org/apache/kafka/clients/producer/KafkaProducer.class");
      assertThat(entries).doesNotContain(
          "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
          "org/apache/flink/runtime/jobgraph/JobGraph.class",
          "org/apache/flink/api/common/functions/MapFunction.class",
          "org/slf4j/Logger.class",
          "org/apache/logging/log4j/Logger.class");
      String factories = new String(jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(factories).contains("org.apache.iceberg.flink.FlinkCatalogFactory",
          "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory");
    }
  }

  private static Path jobJar() throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "tickflow-jobs-*-job.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new AssertionError("no shaded job jar in target/: run 'mvnw verify', which packages before this test");
  }
}
