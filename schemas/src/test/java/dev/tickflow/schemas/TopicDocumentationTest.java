package dev.tickflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/architecture.md lists every topic; this keeps that table equal to {@link Topic}. */
class TopicDocumentationTest {

  @Test
  void theArchitecturePageListsExactlyTheTopicsOfTheCode() throws Exception {
    String doc = Files.readString(Path.of("../docs/architecture.md"));
    String table = doc.substring(doc.indexOf("<!-- topics:start -->"), doc.indexOf("<!-- topics:end -->"));
    List<String> documented = table.lines().filter(l -> l.startsWith("| `")).map(String::trim).toList();
    List<String> expected = Arrays.stream(Topic.values())
        .map(t -> "| `" + t.topicName() + "` | `" + t.valueType().getSimpleName() + "` | " + t.key() + " | "
            + t.retention().toDays() + " days | " + t.description() + " |")
        .toList();
    assertThat(documented).containsExactlyElementsOf(expected);
  }

  @Test
  void topicNamesAreUniqueAndFoundByName() {
    for (Topic t : Topic.values()) {
      assertThat(Topic.byName(t.topicName())).contains(t);
    }
    assertThat(Topic.byName("nope")).isEmpty();
  }
}
