package dev.tickflow.catalog.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Catalog;

/** Every table tickflow defines, and creating or migrating them all ({@code tickflow catalog init}). */
public final class Tables {

  public static final List<TableDefinition> ALL = Stream.of(MarketTables.ALL, SignalTables.ALL, TradingTables.ALL,
      OpsTables.ALL).flatMap(List::stream).toList();

  private Tables() {}

  /** Creates the missing tables and evolves the existing ones; says what it did to each. Idempotent. */
  public static List<TableDefinition.Migration> migrateAll(Catalog catalog) {
    List<TableDefinition.Migration> done = new ArrayList<>();
    for (TableDefinition t : ALL) {
      done.add(t.migrate(catalog));
    }
    return done;
  }
}
