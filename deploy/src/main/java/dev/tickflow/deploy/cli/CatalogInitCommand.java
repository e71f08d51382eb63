package dev.tickflow.deploy.cli;

import dev.tickflow.catalog.tables.TableDefinition;
import dev.tickflow.catalog.tables.Tables;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tickflow catalog init}: creates the missing tables and evolves the existing ones, never recreates. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create every tickflow table that is missing and add the columns a newer tickflow defines to "
        + "the ones that exist (Iceberg schema evolution: no data is rewritten). Safe to run again."})
public final class CatalogInitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin LakeOptions lake;

  @Override
  public Integer call() throws Exception {
    Configurator.setLevel("dev.tickflow", Level.WARN);
    PrintWriter out = spec.commandLine().getOut();
    try (LakeOptions.Lake opened = lake.open(spec.commandLine(), "tickflow catalog init")) {
      Catalog catalog = opened.catalog().load();
      try {
        List<TableDefinition.Migration> done = Tables.migrateAll(catalog);
        for (TableDefinition.Migration m : done) {
          out.println(switch (m.change()) {
            case CREATED -> "created   " + m.identifier();
            case EVOLVED -> "evolved   " + m.identifier()
                + (m.added().isEmpty() ? " (identifier fields)" : " (+" + String.join(", +", m.added()) + ")");
            case UNCHANGED -> "unchanged " + m.identifier();
          });
        }
        out.println(done.size() + " tables in " + opened.catalog().warehouse());
      } finally {
        if (catalog instanceof AutoCloseable closeable) {
          closeable.close();
        }
      }
    }
    out.flush();
    return 0;
  }
}
