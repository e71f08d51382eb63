package dev.tickflow.jobs.io;

import dev.tickflow.schemas.flink.WholeValueTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for {@link SourceRecord}, serialized by {@link SourceRecordSerializer}. */
public final class SourceRecordTypeInfo extends WholeValueTypeInfo<SourceRecord> {

  private static final long serialVersionUID = 1L;

  public SourceRecordTypeInfo() {
    super(SourceRecord.class);
  }

  @Override
  public TypeSerializer<SourceRecord> createSerializer(SerializerConfig config) {
    return SourceRecordSerializer.INSTANCE;
  }

  /** What {@code @TypeInfo} on {@link SourceRecord} names, so that type extraction finds this everywhere. */
  public static final class Factory extends TypeInfoFactory<SourceRecord> {
    @Override
    public TypeInformation<SourceRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new SourceRecordTypeInfo();
    }
  }
}
