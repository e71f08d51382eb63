package dev.tickflow.catalog.jdbc;

import java.sql.Driver;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's {@link JdbcCatalog}, made safe for a JVM that loads job code more than once, as a Flink session
 * cluster does. {@code java.sql.DriverManager} scans for drivers once per JVM and then hands a caller only the
 * drivers its own class loader can see: the second job submitted to a JobManager or TaskManager found none
 * ("No suitable driver found for jdbc:sqlite:..."), because the drivers on record came from the first job's
 * class loader. Loading the drivers of this class's loader registers them for it. (Iceberg itself relies on the
 * scan; this is the usual fix, which plugins of application servers apply the same way.)
 */
public class ClusterSafeJdbcCatalog extends JdbcCatalog {

  // static, so once per class loader: each job's loader gets its own copy of this class
  private static volatile boolean driversRegistered;

  @Override
  public void initialize(String name, Map<String, String> properties) {
    registerDrivers();
    super.initialize(name, properties);
  }

  private static synchronized void registerDrivers() {
    if (driversRegistered) {
      return;
    }
    // instantiating each provider initializes its class in this loader, whose static block registers it
    for (Driver ignored : ServiceLoader.load(Driver.class, ClusterSafeJdbcCatalog.class.getClassLoader())) {
      // nothing else to do
    }
    driversRegistered = true;
  }
}
