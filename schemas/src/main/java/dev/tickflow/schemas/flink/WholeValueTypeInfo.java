package dev.tickflow.schemas.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Type information for a type Flink handles as one value: no fields it can address or key by, written by the
 * serializer a subclass gives. Equal when of the same subclass for the same class.
 */
public abstract class WholeValueTypeInfo<T> extends TypeInformation<T> {

  private static final long serialVersionUID = 1L;

  private final Class<T> type;

  protected WholeValueTypeInfo(Class<T> type) {
    this.type = type;
  }

  @Override
  public final boolean isBasicType() {
    return false;
  }

  @Override
  public final boolean isTupleType() {
    return false;
  }

  @Override
  public final int getArity() {
    return 1;
  }

  @Override
  public final int getTotalFields() {
    return 1;
  }

  @Override
  public final Class<T> getTypeClass() {
    return type;
  }

  @Override
  public final boolean isKeyType() {
    return false;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + type.getName() + ")";
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((WholeValueTypeInfo<?>) o).type == type;
  }

  @Override
  public final int hashCode() {
    return 31 * getClass().hashCode() + type.hashCode();
  }

  @Override
  public final boolean canEqual(Object o) {
    return o != null && o.getClass() == getClass();
  }
}
