package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one owner of ConnectWise retries, with the settings' own names. */
class ConnectWiseRetryTest {

    private final ConnectWiseRetry retry = new ConnectWiseRetry(new ConnectWiseSettings("v4_6_release", "2026.4", 600, 3,
            Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(30), 100,
            Duration.ofMinutes(1), Duration.ofMinutes(30)));

    private static ConnectWiseException failure(int status) {
        return new ConnectWiseException(status, null, "x", List.of(), ConnectWiseRetry.isTransient(status));
    }

    @Test
    void aCallIsRepeatedOnlyWhenTransientSafeAndWithinMaxAttempts() {
        assertThat(retry.mayRepeat(1, failure(503), false)).isTrue();
        assertThat(retry.mayRepeat(2, failure(429), false)).isTrue();
        assertThat(retry.mayRepeat(3, failure(503), false)).as("max-attempts 3 spent").isFalse();
        assertThat(retry.mayRepeat(1, failure(400), false)).as("a verdict").isFalse();
        assertThat(retry.mayRepeat(1, failure(500), true)).as("a create that may have landed").isFalse();
    }

    @Test
    void callWaitsHonourRetryAfterElseBackOffAndThrottlingGrowsWithTheTenantsStreak() {
        assertThat(retry.afterFailure(2, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.afterFailure(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
        assertThat(retry.throttlePause(1, 0, Optional.empty())).isEqualTo(Duration.ofMillis(500));
        assertThat(retry.throttlePause(1, 3, Optional.empty())).as("fourth 429 in a row").isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.throttlePause(1, 3, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPendingTaskIsRetriedLaterByTaskRetrySettingsOrFromOneSecondAfterADatabaseRestart() {
        assertThat(retry.retryLater(1, false)).isEqualTo(Duration.ofMinutes(1));
        assertThat(retry.retryLater(3, false)).isEqualTo(Duration.ofMinutes(4));
        assertThat(retry.retryLater(40, false)).isEqualTo(Duration.ofMinutes(30));
        assertThat(retry.retryLater(1, true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.retryLater(40, true)).isEqualTo(Duration.ofMinutes(30));
    }
}
