package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffPolicyTest {

    private final BackoffPolicy policy = new BackoffPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(4));

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void throttlingAndServerErrorsAreTransient(int status) {
        assertThat(BackoffPolicy.isTransient(status)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 415})
    void otherClientErrorsAreVerdicts(int status) {
        assertThat(BackoffPolicy.isTransient(status)).isFalse();
    }

    @Test
    void doublesUpToTheCap() {
        assertThat(policy.delayAfter(1, Optional.empty())).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.delayAfter(2, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(3, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayAfter(4, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayAfter(40, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void retryAfterFromTheServerWins() {
        assertThat(policy.delayAfter(1, Optional.of(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void parsesRetryAfterSecondsAndIgnoresWhatItCannotRead() {
        assertThat(BackoffPolicy.parseRetryAfter("30")).contains(Duration.ofSeconds(30));
        assertThat(BackoffPolicy.parseRetryAfter(" 2 ")).contains(Duration.ofSeconds(2));
        assertThat(BackoffPolicy.parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isEmpty();
        assertThat(BackoffPolicy.parseRetryAfter(null)).isEmpty();
    }

    @Test
    void countsAttempts() {
        assertThat(policy.mayRetry(4)).isTrue();
        assertThat(policy.mayRetry(5)).isFalse();
    }
}
