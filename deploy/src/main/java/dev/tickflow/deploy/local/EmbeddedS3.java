package dev.tickflow.deploy.local;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy over the local file system) in this JVM: the Iceberg warehouse of the local
 * stack, spoken to through the real S3 API exactly as MinIO or AWS would be. Buckets are made with the MinIO SDK,
 * which is also how tickflow talks to a real MinIO.
 */
public final class EmbeddedS3 implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

  private final S3Proxy proxy;
  private final String endpoint;

  private EmbeddedS3(S3Proxy proxy, String endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Serves {@code dir} over the S3 API on {@code port} (0: a free one). */
  public static EmbeddedS3 start(Path dir, int port, String accessKey, String secretKey) throws Exception {
    Files.createDirectories(dir);
    String endpoint = "http://127.0.0.1:" + Ports.resolve(port);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()))
        .endpoint(URI.create(endpoint))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3 server did not start within 30 s (state " + proxy.getState() + ")");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    LOG.info("S3 API (S3Proxy) up at {}, objects in {}", endpoint, dir);
    return new EmbeddedS3(proxy, endpoint);
  }

  public String endpoint() {
    return endpoint;
  }

  /** Creates the bucket if it does not exist. */
  public static void ensureBucket(String endpoint, String accessKey, String secretKey, String bucket)
      throws Exception {
    MinioClient client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      LOG.info("created bucket {}", bucket);
    }
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    LOG.info("S3 server stopped");
  }
}
