package dev.tickflow.catalog.sql;

import java.util.List;

/** Receives a query result as it streams in. */
public interface ResultSink {

  default void start(List<String> columns) {}

  void row(List<Object> values);

  default void end(long rowCount) {}
}
