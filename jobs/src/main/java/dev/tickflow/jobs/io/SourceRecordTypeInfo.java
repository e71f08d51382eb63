package dev.tickflow.jobs.io;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type information for {@link SourceRecord}, serialized by {@link SourceRecordSerializer}. */
public final class SourceRecordTypeInfo extends TypeInformation<SourceRecord> {

  private static final long serialVersionUID = 1L;

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<SourceRecord> getTypeClass() {
    return SourceRecord.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<SourceRecord> createSerializer(SerializerConfig config) {
    return SourceRecordSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "SourceRecordTypeInfo";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceRecordTypeInfo;
  }

  @Override
  public int hashCode() {
    return SourceRecordTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof SourceRecordTypeInfo;
  }

  /** What {@code @TypeInfo} on {@link SourceRecord} names, so that type extraction finds this everywhere. */
  public static final class Factory extends TypeInfoFactory<SourceRecord> {
    @Override
    public TypeInformation<SourceRecord> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
      return new SourceRecordTypeInfo();
    }
  }
}
