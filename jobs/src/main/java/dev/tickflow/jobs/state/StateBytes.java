package dev.tickflow.jobs.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Keyed state objects as bytes in Flink state. Operators that keep a small object graph per key (indicators,
 * positions) store it this way rather than through Kryo: the format is Java's, the class says what it holds, and
 * a build that cannot read old bytes gets {@code null} and starts that key afresh instead of failing the job.
 */
public final class StateBytes {

  private StateBytes() {}

  public static byte[] write(Serializable state) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(state);
    } catch (IOException e) {
      throw new IllegalStateException(state.getClass().getSimpleName() + " does not serialize: " + e, e);
    }
    return bytes.toByteArray();
  }

  /** The object in {@code bytes}, or null when there are none or this build cannot read them. */
  public static <T> T read(byte[] bytes, Class<T> type) {
    if (bytes == null) {
      return null;
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return type.cast(in.readObject());
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      return null;
    }
  }
}
