package dev.tickflow.deploy.local;

import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.io.IOException;
import java.util.Set;

/**
 * Checks, through the MinIO Java SDK, that the S3 API behind the warehouse answers, accepts tickflow's keys and
 * lets it read the bucket, and says in one line what is wrong when it does not. Run before anything writes to
 * or reads from the lake, so a wrong endpoint or key fails at start instead of at the first Iceberg commit.
 */
public final class S3Health {

  private static final Set<String> BAD_CREDENTIALS =
      Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken", "ExpiredToken");

  private S3Health() {}

  /**
   * Throws {@link IllegalStateException} saying what is wrong unless the endpoint answers, the keys are accepted
   * and the bucket exists and can be listed.
   */
  public static void check(String endpoint, String accessKey, String secretKey, String bucket) {
    if (accessKey == null || secretKey == null) {
      throw new IllegalStateException("no S3 keys for " + endpoint
          + ": set TICKFLOW_S3_ACCESS_KEY and TICKFLOW_S3_SECRET_KEY (or the catalog file's s3.access-key-id and "
          + "s3.secret-access-key)");
    }
    MinioClient client;
    try {
      client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).build();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("'" + endpoint + "' is not an S3 endpoint URL: " + e.getMessage(), e);
    }
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        throw new IllegalStateException("the S3 API at " + endpoint + " has no bucket '" + bucket
            + "': tickflow up creates it, or create it yourself");
      }
      // bucketExists is a HEAD, which some stores answer without checking read rights; a listing is a real read
      // (the SDK reports a failed listing when its first result is read)
      for (var item : client.listObjects(ListObjectsArgs.builder().bucket(bucket).maxKeys(1).build())) {
        item.get();
        break;
      }
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if (BAD_CREDENTIALS.contains(code)) {
        throw new IllegalStateException("the S3 API at " + endpoint + " refused tickflow's keys (" + code + ": "
            + e.errorResponse().message() + "): check TICKFLOW_S3_ACCESS_KEY and TICKFLOW_S3_SECRET_KEY", e);
      }
      throw new IllegalStateException("the S3 API at " + endpoint + " answered " + code + ": "
          + e.errorResponse().message(), e);
    } catch (IOException e) {
      throw new IllegalStateException("the S3 API at " + endpoint + " is not reachable (" + e + ")", e);
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("checking the S3 API at " + endpoint + " failed: " + e, e);
    }
  }
}
