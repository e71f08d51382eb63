package dev.tickflow.deploy.kafka;

import dev.tickflow.schemas.Topic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tickflow topic ({@link Topic}) on a broker, with its configs: missing ones are created, existing ones get
 * today's configs (partition counts are left alone: raising them moves keys between partitions).
 */
public final class TopicSetup {

  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /** Returns the topics it created. */
  public static List<String> ensure(Admin admin, int partitions, short replicationFactor) throws IOException {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      Map<ConfigResource, Collection<AlterConfigOp>> reconcile = new HashMap<>();
      for (Topic topic : Topic.values()) {
        if (!existing.contains(topic.topicName())) {
          missing.add(new NewTopic(topic.topicName(), partitions, replicationFactor).configs(topic.configs()));
        } else {
          // a broker from an older tickflow keeps its topics: bring their configs to today's
          reconcile.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()),
              topic.configs().entrySet().stream()
                  .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                  .toList());
        }
      }
      if (!reconcile.isEmpty()) {
        admin.incrementalAlterConfigs(reconcile).all().get(30, TimeUnit.SECONDS);
      }
      List<String> names = missing.stream().map(NewTopic::name).toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        long created = System.nanoTime();
        awaitLeaders(admin, names);
        LOG.info("created topics {}; their partitions took appends after {} ms", names,
            (System.nanoTime() - created) / 1_000_000);
      }
      return names;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IOException("cannot create tickflow topics: " + e.getMessage(), e);
    }
  }

  /**
   * Returns once the broker serves every new partition from its replica manager, not only from its metadata.
   * A broker publishes a new partition's leader to metadata a moment before it can append to it; an idempotent
   * producer whose first batch lands in that moment gets NOT_LEADER_OR_FOLLOWER, its next in-flight batch is
   * appended, and the retried first batch then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until it expires
   * (KAFKA-15591, fixed in Kafka 4.5; tickflow runs 4.2). A list-offsets answer comes from the replica
   * manager, and the admin client retries it until the partition is there.
   */
  private static void awaitLeaders(Admin admin, List<String> created) throws Exception {
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    // described, not assumed: a topic another process created first may have other partition counts
    admin.describeTopics(created).allTopicNames().get(30, TimeUnit.SECONDS)
        .forEach((name, description) -> description.partitions().forEach(
            p -> all.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    admin.listOffsets(all).all().get(60, TimeUnit.SECONDS);
  }
}
