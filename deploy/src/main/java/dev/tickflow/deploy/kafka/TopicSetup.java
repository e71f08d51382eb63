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
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
        LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
      }
      return missing.stream().map(NewTopic::name).toList();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IOException("cannot create tickflow topics: " + e.getMessage(), e);
    }
  }
}
