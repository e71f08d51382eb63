package dev.tickflow.schemas.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Maintainer tool: records the current schema of every event type as its released schema. Run it when cutting
 * a release, after {@code SchemaCompatibilityTest} passed, so that the next change is checked against it:
 *
 * <pre>./mvnw -q -pl schemas compile dependency:build-classpath -Dmdep.outputFile=target/cp
 * java -cp schemas/target/classes:$(cat schemas/target/cp) dev.tickflow.schemas.codec.SchemaRelease \
 *     schemas/src/main/resources/dev/tickflow/schemas/released</pre>
 */
public final class SchemaRelease {

  static final Path DEFAULT_DIR = Path.of("src/main/resources/dev/tickflow/schemas/released");

  private SchemaRelease() {}

  public static void main(String[] args) throws IOException {
    if (args.length > 1 || (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")))) {
      System.out.println("Usage: SchemaRelease [released-schema-dir]  (default " + DEFAULT_DIR + ")");
      System.exit(args.length == 1 ? 0 : 2);
    }
    Path dir = args.length == 1 ? Path.of(args[0]) : DEFAULT_DIR;
    Files.createDirectories(dir);
    for (Class<? extends SpecificRecord> type : EventTypes.ALL) {
      Schema schema = SpecificData.get().getSchema(type);
      Path file = dir.resolve(type.getSimpleName() + ".avsc");
      Files.writeString(file, schema.toString(true) + "\n");
      System.out.println("released " + file);
    }
  }
}
