package dev.tickflow.jobs.advisor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tickflow.schemas.Decimals;
import dev.tickflow.schemas.Ticker;
import dev.tickflow.schemas.event.Direction;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Asks an external model (an LLM behind an HTTP endpoint, say) for the plan: POSTs the signal, the market context
 * and the conviction as JSON and reads back
 * {@code {"direction": "LONG", "entry": "…", "stopLoss": "…", "takeProfit": "…", "amount": "…", "reasoning": "…"}}
 * with decimals as strings or JSON numbers (read exactly). Off unless a URL is configured; a slow, failing or
 * inconsistent answer never blocks the pipeline: the advisor falls back to the deterministic plan. Note that a
 * replay asks the model again, so decisions made through it are only as repeatable as the model.
 */
public final class HttpSynthesisModel implements SynthesisModel {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final Duration timeout;
  private transient HttpClient client;
  private transient ObjectMapper json;

  public HttpSynthesisModel(String url, Duration timeout) {
    this.url = URI.create(url).toString();
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "http:" + url;
  }

  @Override
  public void open() {
    client = HttpClient.newBuilder().connectTimeout(timeout).build();
    json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  @Override
  public TradePlan propose(SynthesisContext in) throws Exception {
    if (client == null) {
      open();
    }
    ObjectNode body = json.createObjectNode();
    body.put("signalId", in.signal().getSignalId());
    body.put("ticker", Ticker.key(in.signal().getExchange(), in.signal().getBase(), in.signal().getQuote()));
    body.put("timeframe", in.signal().getTimeframe());
    body.put("direction", in.signal().getDirection().name());
    body.put("price", in.signal().getPrice().toPlainString());
    body.put("conviction", in.conviction().toPlainString());
    ObjectNode market = body.putObject("market");
    in.market().inputs().forEach(market::put);
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    JsonNode answer = json.readTree(response.body());
    return new TradePlan(direction(answer.path("direction").asText("")), decimal(answer, "entry"),
        decimal(answer, "stopLoss"), decimal(answer, "takeProfit"), decimal(answer, "amount"), name(),
        answer.path("reasoning").asText(""));
  }

  private static Direction direction(String text) {
    try {
      return Direction.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Direction.FLAT;
    }
  }

  private static BigDecimal decimal(JsonNode answer, String field) {
    JsonNode node = answer.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      BigDecimal value = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
      return Decimals.rounded(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
