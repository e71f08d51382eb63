package dev.tickflow.deploy.local;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 health check against a real S3 API (S3Proxy): each way it can be wrong says which. */
class S3HealthTest {

  @TempDir static Path dir;
  static EmbeddedS3 s3;

  @BeforeAll
  static void start() throws Exception {
    s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "health-key", "health-secret");
    EmbeddedS3.ensureBucket(s3.endpoint(), "health-key", "health-secret", "lake");
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
  }

  @Test
  void aReachableStoreWithTheRightKeysAndTheBucketIsHealthy() {
    assertThatCode(() -> S3Health.check(s3.endpoint(), "health-key", "health-secret", "lake"))
        .doesNotThrowAnyException();
  }

  @Test
  void aWrongSecretIsNamedAsSuch() {
    assertThatThrownBy(() -> S3Health.check(s3.endpoint(), "health-key", "not-the-secret", "lake"))
        .hasMessageContaining("refused tickflow's keys").hasMessageContaining("TICKFLOW_S3_SECRET_KEY");
  }

  @Test
  void aMissingBucketIsNamed() {
    assertThatThrownBy(() -> S3Health.check(s3.endpoint(), "health-key", "health-secret", "elsewhere"))
        .hasMessageContaining("has no bucket 'elsewhere'");
  }

  @Test
  void aStoreThatIsNotThereIsUnreachable() {
    String nobody = "http://127.0.0.1:" + Ports.resolve(0);
    assertThatThrownBy(() -> S3Health.check(nobody, "health-key", "health-secret", "lake"))
        .hasMessageContaining("is not reachable");
  }

  @Test
  void missingKeysSayWhereToPutThem() {
    assertThatThrownBy(() -> S3Health.check(s3.endpoint(), null, null, "lake"))
        .hasMessageContaining("TICKFLOW_S3_ACCESS_KEY");
  }
}
