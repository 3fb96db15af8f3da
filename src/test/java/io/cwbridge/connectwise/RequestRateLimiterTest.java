package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Checks the budget by what the limiter makes callers wait, with generous margins (no timing targets). */
class RequestRateLimiterTest {

    @Test
    void letsAShortBurstThroughThenPacesTheRest() throws InterruptedException {
        RequestRateLimiter limiter = new RequestRateLimiter(600); // 10 per second, burst of 10
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) limiter.acquire("tenant-a");
        long burstMillis = (System.nanoTime() - start) / 1_000_000;
        for (int i = 0; i < 5; i++) limiter.acquire("tenant-a");
        long pacedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(burstMillis).isLessThan(300);
        // 5 more at 10/s need about 500 ms.
        assertThat(pacedMillis).isGreaterThanOrEqualTo(400);
    }

    @Test
    void aThrottledTenantIsPausedForEveryCallerButOtherTenantsAreNot() throws InterruptedException {
        RequestRateLimiter limiter = new RequestRateLimiter(6000);
        assertThat(limiter.throttled("tenant-a", Duration.ofMillis(800))).isEqualTo(1);
        long start = System.nanoTime();
        limiter.acquire("tenant-b");
        long otherMillis = (System.nanoTime() - start) / 1_000_000;
        limiter.acquire("tenant-a");
        long pausedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(otherMillis).isLessThan(400);
        assertThat(pausedMillis).isGreaterThanOrEqualTo(700);
    }

    @Test
    void aShorterPauseDoesNotCutALongerOneAndTheStreakEndsWithAnAnswer() throws InterruptedException {
        RequestRateLimiter limiter = new RequestRateLimiter(6000);
        limiter.throttled("tenant-a", Duration.ofMillis(800));
        assertThat(limiter.throttled("tenant-a", Duration.ZERO)).as("consecutive 429s").isEqualTo(2);
        long start = System.nanoTime();
        limiter.acquire("tenant-a");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(700);
        limiter.answered("tenant-a");
        assertThat(limiter.throttles("tenant-a")).isZero();
    }

    @Test
    void tenantsHaveSeparateBudgets() throws InterruptedException {
        RequestRateLimiter limiter = new RequestRateLimiter(60); // 1 per second, burst of 1
        long start = System.nanoTime();
        limiter.acquire("tenant-a");
        limiter.acquire("tenant-b");
        limiter.acquire("tenant-c");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    }
}
