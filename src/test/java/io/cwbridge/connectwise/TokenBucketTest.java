package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The refill arithmetic the shared budgets (V22) do in SQL. */
class TokenBucketTest {

    private final TokenBucket bucket = TokenBucket.perMinute(600);

    @Test
    void aSecondsWorthOfBurstAndTheRestOfTheMinuteAsRefill() {
        assertThat(bucket.capacity()).isEqualTo(10.0);
        assertThat(bucket.refill(0, Duration.ofMinutes(1))).as("capped").isEqualTo(10.0);
        assertThat(bucket.refill(-590, Duration.ofMinutes(1))).as("a minute refills 590").isCloseTo(0.0, within(1e-9));
        // Any one-minute window: burst + refill x 60 s is the configured rate, not more.
        assertThat(bucket.capacity() + bucket.refillPerNano() * Duration.ofMinutes(1).toNanos()).isCloseTo(600.0, within(1e-9));
    }

    @Test
    void refillGrowsWithElapsedTimeAndAClockGoingBackRefillsNothing() {
        assertThat(bucket.refill(2, Duration.ofMillis(600))).isCloseTo(2 + 5.9, within(1e-9));
        assertThat(bucket.refill(2, Duration.ofSeconds(6))).as("capped").isEqualTo(bucket.capacity());
        assertThat(bucket.refill(-3, Duration.ofMillis(500))).isCloseTo(-3 + 590.0 / 120, within(1e-9));
        assertThat(bucket.refill(4, Duration.ofSeconds(-5))).isEqualTo(4.0);
    }

    @Test
    void aReservationWaitsUntilTheRefillPaysItBack() {
        assertThat(bucket.waitAfterTake(0)).isZero();
        assertThat(bucket.waitAfterTake(3.5)).isZero();
        Duration oneToken = bucket.waitAfterTake(-1);
        assertThat(oneToken.toNanos()).isCloseTo(60_000_000_000L / 590, within(1L));
        assertThat(bucket.refill(-1, oneToken)).isGreaterThanOrEqualTo(0.0);
        assertThat(bucket.waitAfterTake(-59).toNanos()).isCloseTo(6_000_000_000L, within(1L));
    }

    @Test
    void smallRatesStillGrantNoMoreThanTheirMinute() {
        TokenBucket thirty = TokenBucket.perMinute(30);
        assertThat(thirty.capacity()).isEqualTo(1.0);
        assertThat(thirty.refill(0, Duration.ofMinutes(1))).as("capped at one").isEqualTo(1.0);
        assertThat(thirty.capacity() + thirty.refillPerNano() * Duration.ofMinutes(1).toNanos()).isCloseTo(30.0, within(1e-9));
        TokenBucket one = TokenBucket.perMinute(1);
        // 1 + 0.5 tokens a minute: one call a minute, never two.
        assertThat(one.capacity() + one.refillPerNano() * Duration.ofMinutes(1).toNanos()).isCloseTo(1.5, within(1e-9));
        assertThat(one.waitAfterTake(-1)).isEqualTo(Duration.ofMinutes(2));
    }
}
