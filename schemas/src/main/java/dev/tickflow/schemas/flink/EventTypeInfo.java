package dev.tickflow.schemas.flink;

import dev.tickflow.schemas.codec.EventTypes;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.TypeExtractor;

/**
 * Flink's type information for a tickflow event type, serialized by {@link EventSerializer}. After
 * {@link #register()}, Flink's type extraction gives it for every event class: operator outputs (fixed in the job
 * graph where the job is built) and state descriptors made in that JVM; a task manager that never registered makes
 * Avro's serializer for a state descriptor it builds itself, whose state and snapshots are the same. (Avro's
 * compiler cannot put {@code @TypeInfo(Factory.class)} on the generated classes: its {@code javaAnnotation} takes
 * literal values only.)
 */
public final class EventTypeInfo<T extends SpecificRecord> extends WholeValueTypeInfo<T> {

  private static final long serialVersionUID = 1L;

  public EventTypeInfo(Class<T> type) {
    super(type);
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new EventSerializer<>(getTypeClass());
  }

  /**
   * Makes Flink's type extraction give every event type of {@link EventTypes#ALL} this type information, in this
   * JVM; idempotent. Flink's {@code pipeline.serialization-config} would do the same, but it registers into the same
   * JVM-wide table and refuses a type already there, so the second job built in one JVM (the local stack, a replay,
   * a benchmark) would fail.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static synchronized void register() {
    Class<? extends TypeInfoFactory<?>> factory = (Class) Factory.class;
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      if (TypeExtractor.getTypeInfoFactory(type) == null) {
        TypeExtractor.registerFactory(type, factory);
      }
    }
  }

  /** Creates an {@link EventTypeInfo} for the event class it is registered for. */
  public static final class Factory<T extends SpecificRecord> extends TypeInfoFactory<T> {
    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new EventTypeInfo<>((Class<T>) t);
    }
  }
}
