package dev.tickflow.ingestors.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget on a fake clock: the waits it asks for are recorded, not slept. */
class RequestBudgetTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<Duration> waits = new ArrayList<>();
  private final RequestBudget budget = new RequestBudget(10, Duration.ofSeconds(60), now::get, d -> {
    waits.add(d);
    now.addAndGet(d.toNanos());
  });

  @Test
  void callsWithinTheWindowsWeightDoNotWait() throws Exception {
    for (int i = 0; i < 5; i++) {
      budget.acquire(2);
    }
    assertThat(waits).isEmpty();
    assertThat(budget.used()).isEqualTo(10);
  }

  @Test
  void aCallThatWouldOverrunWaitsForTheNextWindow() throws Exception {
    budget.acquire(8);
    now.addAndGet(Duration.ofSeconds(20).toNanos());
    budget.acquire(4);
    assertThat(waits).containsExactly(Duration.ofSeconds(40));
    assertThat(budget.used()).isEqualTo(4);
    assertThat(budget.waits()).isEqualTo(1);
  }

  @Test
  void theVenuesOwnCountTightensTheBudget() throws Exception {
    budget.observeUsed(9);
    budget.acquire(2);
    assertThat(waits).hasSize(1);
  }

  @Test
  void aNewWindowStartsAfterTheOldOneEnds() throws Exception {
    budget.acquire(10);
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    budget.acquire(10);
    assertThat(waits).isEmpty();
  }
}
