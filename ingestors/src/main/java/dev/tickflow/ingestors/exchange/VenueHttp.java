package dev.tickflow.ingestors.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs JSON from a venue's REST API. A 429 or 418 is answered by waiting the venue's {@code Retry-After} and
 * asking again, as long as the wait is within {@code maxRetryWait}; beyond it the caller gets a
 * {@link RateLimitedException}. Any other non-2xx status or unreadable body is an {@link ExchangeException} that
 * quotes the venue's answer. Every call first takes its weight from the venue's {@link RequestBudget}.
 */
public final class VenueHttp {

  private static final Logger LOG = LoggerFactory.getLogger(VenueHttp.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final Duration maxRetryWait;
  private final HttpClient client;
  private final RequestBudget budget;
  private final String usedWeightHeader;

  /**
   * @param usedWeightHeader the response header in which the venue reports the weight it counted in the current
   *     window (Binance: {@code X-MBX-USED-WEIGHT-1M}), or null
   */
  public VenueHttp(URI baseUrl, Duration maxRetryWait, RequestBudget budget, String usedWeightHeader) {
    this.baseUrl = baseUrl;
    this.maxRetryWait = maxRetryWait;
    this.budget = budget;
    this.usedWeightHeader = usedWeightHeader;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public RequestBudget budget() {
    return budget;
  }

  /** GET with weight 1. */
  public JsonNode get(String path, Map<String, String> query) throws ExchangeException {
    return get(path, query, 1);
  }

  /** GET a call that costs {@code weight} of the venue's budget. */
  public JsonNode get(String path, Map<String, String> query, int weight) throws ExchangeException {
    String qs = query.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    URI uri = baseUrl.resolve(path + (qs.isEmpty() ? "" : "?" + qs));
    String call = "GET " + path;
    while (true) {
      HttpResponse<byte[]> response;
      try {
        budget.acquire(weight);
        response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        throw new ExchangeException(call + " to " + baseUrl + " failed: " + what
            + " (is it reachable from here? --rest-url points elsewhere)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExchangeException(call + " interrupted", e);
      }
      int status = response.statusCode();
      if (usedWeightHeader != null) {
        response.headers().firstValue(usedWeightHeader).ifPresent(v -> {
          try {
            budget.observeUsed(Long.parseLong(v.trim()));
          } catch (NumberFormatException ignored) {
            // an odd header must not fail the call; our own count still holds
          }
        });
      }
      if (status == 429 || status == 418) {
        Duration wait = retryAfter(response);
        if (wait.compareTo(maxRetryWait) > 0) {
          throw new RateLimitedException(call, status, wait);
        }
        LOG.warn("{} got HTTP {}; waiting {} ms as the venue asks", call, status, wait.toMillis());
        pause(wait, call);
        continue;
      }
      String body = new String(response.body(), StandardCharsets.UTF_8);
      if (status / 100 != 2) {
        throw new ExchangeException(call + " answered HTTP " + status + ": " + snippet(body));
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new ExchangeException(call + " answered something that is not JSON: " + snippet(body), e);
      }
    }
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    // Binance sends seconds; a missing or odd header means "back off a little", not "hammer again".
    return response.headers().firstValue("Retry-After")
        .map(v -> {
          try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
          } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
          }
        })
        .orElse(Duration.ofSeconds(1));
  }

  private static void pause(Duration wait, String call) throws ExchangeException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExchangeException(call + " interrupted while waiting out a rate limit", e);
    }
  }

  static String snippet(String body) {
    String oneLine = body.replaceAll("\\s+", " ").trim();
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
  }
}
