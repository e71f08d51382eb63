package dev.tickflow.schemas.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Flink type information for tickflow's types, with {@link EventTypeInfo} for every event class wherever one
 * appears (on its own, or as a field of a POJO). Use it instead of {@code TypeInformation.of}: Flink's extraction
 * consults a JVM-wide table, so type information made before {@link EventTypeInfo#register()} ran (a static
 * {@code OutputTag} initialised early) would differ from type information made after it, and Flink refuses to
 * union such streams.
 */
public final class FlinkTypes {

  private FlinkTypes() {}

  public static <T> TypeInformation<T> of(Class<T> type) {
    EventTypeInfo.register();
    return TypeInformation.of(type);
  }
}
