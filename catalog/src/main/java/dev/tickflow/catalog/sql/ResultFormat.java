package dev.tickflow.catalog.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.schemas.Decimals;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code tickflow sql} prints results. Decimals print exactly and without padding zeros
 * ({@code 0.00141342}, not {@code 0.001413420000000000}); timestamps print in UTC, ISO-8601.
 */
public enum ResultFormat {
  /** Aligned columns for people. Buffers up to {@link #TABLE_BUFFER_ROWS} rows to size columns, then streams. */
  TABLE,
  /** RFC 4180 CSV with a header line. */
  CSV,
  /** One JSON object per line. */
  JSON;

  static final int TABLE_BUFFER_ROWS = 1000;
  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

  public ResultSink sink(PrintWriter out) {
    return switch (this) {
      case TABLE -> new TableSink(out);
      case CSV -> new ResultSink() {
        @Override
        public void start(List<String> columns) {
          out.println(String.join(",", columns.stream().map(ResultFormat::csv).toList()));
        }

        @Override
        public void row(List<Object> values) {
          out.println(String.join(",", values.stream().map(v -> csv(text(v))).toList()));
        }
      };
      case JSON -> new ResultSink() {
        private List<String> columns;

        @Override
        public void start(List<String> cols) {
          columns = cols;
        }

        @Override
        public void row(List<Object> values) {
          ObjectNode node = JSON_MAPPER.createObjectNode();
          for (int i = 0; i < columns.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
              node.putNull(columns.get(i));
            } else if (v instanceof Number && !(v instanceof BigDecimal)) {
              node.set(columns.get(i), JSON_MAPPER.valueToTree(v));
            } else if (v instanceof Boolean b) {
              node.put(columns.get(i), b);
            } else {
              node.put(columns.get(i), text(v)); // decimals as exact strings
            }
          }
          try {
            out.println(JSON_MAPPER.writeValueAsString(node));
          } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        }
      };
    };
  }

  /** The exact text of one value. */
  public static String text(Object v) {
    if (v == null) {
      return "";
    } else if (v instanceof BigDecimal d) {
      return Decimals.format(d);
    } else if (v instanceof Instant t) {
      return t.toString();
    } else if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toString();
    } else if (v instanceof Object[] array) {
      // ARRAY columns (a verdict's reasons, a decision's stages) come back as Java arrays
      return "[" + String.join(", ", java.util.Arrays.stream(array).map(ResultFormat::text).toList()) + "]";
    } else if (v instanceof java.util.Map<?, ?> map) {
      return "{" + String.join(", ", map.entrySet().stream()
          .map(e -> text(e.getKey()) + "=" + text(e.getValue())).toList()) + "}";
    }
    return v.toString();
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private static final class TableSink implements ResultSink {
    private final PrintWriter out;
    private List<String> columns;
    private final List<List<String>> buffer = new ArrayList<>();
    private int[] widths;

    TableSink(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void start(List<String> cols) {
      columns = cols;
    }

    @Override
    public void row(List<Object> values) {
      List<String> texts = values.stream().map(ResultFormat::text).toList();
      if (widths != null) {
        print(texts);
        return;
      }
      buffer.add(texts);
      if (buffer.size() >= TABLE_BUFFER_ROWS) {
        flushBuffer();
      }
    }

    @Override
    public void end(long rowCount) {
      if (widths == null) {
        flushBuffer();
      }
      out.println("(" + rowCount + (rowCount == 1 ? " row)" : " rows)"));
    }

    private void flushBuffer() {
      widths = new int[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        widths[i] = columns.get(i).length();
        for (List<String> row : buffer) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      print(columns);
      StringBuilder rule = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
      }
      out.println(rule);
      buffer.forEach(this::print);
      buffer.clear();
    }

    private void print(List<String> texts) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < texts.size(); i++) {
        String t = texts.get(i);
        line.append(i == 0 ? "" : " | ").append(t);
        if (i < texts.size() - 1) {
          line.append(" ".repeat(Math.max(0, widths[i] - t.length())));
        }
      }
      out.println(line);
    }
  }
}
