package dev.tickflow.catalog;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CachingCatalog;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * The catalog loader for Iceberg's Flink sink: tables are loaded once per operator and then kept, as Flink's
 * Iceberg catalog keeps them ({@code cache-enabled}, on by default).
 *
 * <p>Iceberg's files committer loads its table from the catalog again after every checkpoint. Against a JDBC
 * catalog that is a query and a fresh read of the table's metadata file from S3, whose size grows with every
 * snapshot, per table and checkpoint: 5.5% of a test stack's CPU under one-second checkpoints. A cached
 * table is still current where it matters: each commit refreshes it from the catalog before it writes, and
 * retries on a conflict. The cached tables go with the catalog when the sink closes, so a restarted job reads
 * the catalog afresh.
 */
public final class CommitterCatalogLoader implements CatalogLoader {

  private static final long serialVersionUID = 1L;

  private final CatalogLoader delegate;

  public CommitterCatalogLoader(CatalogLoader delegate) {
    this.delegate = delegate;
  }

  @Override
  public Catalog loadCatalog() {
    return new ClosingCachingCatalog(delegate.loadCatalog());
  }

  @Override
  public CatalogLoader clone() {
    return new CommitterCatalogLoader(delegate.clone());
  }

  @Override
  public String toString() {
    return "CommitterCatalogLoader(" + delegate + ")";
  }

  /**
   * {@link CachingCatalog} with the catalog's close: Iceberg's table loader closes a catalog that is
   * {@link Closeable}, and the JDBC catalog underneath holds a connection pool.
   */
  private static final class ClosingCachingCatalog extends CachingCatalog implements Closeable {

    private final Catalog catalog;

    ClosingCachingCatalog(Catalog catalog) {
      // expires a table only when unused this long: the committer asks for it on every checkpoint
      super(catalog, true, TimeUnit.MINUTES.toMillis(10), Ticker.systemTicker());
      this.catalog = catalog;
    }

    @Override
    public void close() throws IOException {
      if (catalog instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (IOException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException("closing catalog " + catalog.name(), e);
        }
      }
    }
  }
}
