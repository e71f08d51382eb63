package dev.tickflow.bench.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON every end-to-end harness writes to {@code bench/results/}: what ran, when, on what, and its figures. */
final class BenchReport {

  private BenchReport() {}

  /** A report that starts with the benchmark's name, the date and the machine; the harness adds the rest. */
  static Map<String, Object> start(String benchmark) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", benchmark);
    report.put("date", Instant.now().toString());
    report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
        "os", System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        "maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20,
        "jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-X")).toList()));
    return report;
  }

  /** Writes {@code report} as {@code <results>/<benchmark>-<time>.json} and returns the file. */
  static Path write(Path results, Map<String, Object> report) throws IOException {
    Files.createDirectories(results);
    Path file = results.resolve(report.get("benchmark") + "-" + Instant.now().toString().replace(':', '-') + ".json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    return file;
  }
}
