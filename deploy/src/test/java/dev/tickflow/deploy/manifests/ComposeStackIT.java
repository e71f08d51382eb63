package dev.tickflow.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tickflow.deploy.cluster.FlinkRestClient;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * deploy/compose end to end, where a Docker engine exists (skipped cleanly where none does, as here): the images
 * build, every service comes up healthy, the catalog has tickflow's namespaces over the Iceberg REST protocol and
 * the market-data job runs on the session cluster. Without Docker, {@link DeployManifestsTest} checks the files
 * and {@code SessionClusterIT} runs the same job jar on a real standalone session cluster, submitted over REST.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

  @Container
  static final ComposeContainer COMPOSE = new ComposeContainer(new File("compose/docker-compose.yml"))
      .withEnv(Map.of("S3_ACCESS_KEY", "tickflow-it", "S3_SECRET_KEY", "tickflow-it-secret",
          "CATALOG_DB_PASSWORD", "tickflow-it-db"))
      .withBuild(true)
      .withExposedService("jobmanager", 8081, Wait.forHttp("/overview").withStartupTimeout(Duration.ofMinutes(10)))
      .withExposedService("iceberg-rest", 8181, Wait.forHttp("/v1/config").withStartupTimeout(Duration.ofMinutes(10)))
      .waitingFor("job-submit", Wait.forLogMessage(".*submitted market-data as job.*", 1)
          .withStartupTimeout(Duration.ofMinutes(10)));

  @Test
  void theComposeStackRunsTheJobAndServesTheCatalog() throws Exception {
    String flink = "http://" + COMPOSE.getServiceHost("jobmanager", 8081) + ":"
        + COMPOSE.getServicePort("jobmanager", 8081);
    assertThat(new FlinkRestClient(flink).jobs()).anySatisfy(j -> {
      assertThat(j.name()).isEqualTo(dev.tickflow.jobs.marketdata.MarketDataJob.JOB_NAME);
      assertThat(j.state()).isEqualTo("RUNNING");
    });
    String rest = "http://" + COMPOSE.getServiceHost("iceberg-rest", 8181) + ":"
        + COMPOSE.getServicePort("iceberg-rest", 8181);
    HttpResponse<String> namespaces = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(rest + "/v1/namespaces")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(namespaces.statusCode()).isEqualTo(200);
    assertThat(namespaces.body()).contains("market").contains("signals").contains("trading");
  }
}
