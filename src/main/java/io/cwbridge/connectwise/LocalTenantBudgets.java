package io.cwbridge.connectwise;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Budgets of this instance only (tests, and the fallback while the shared ones cannot be reached). */
final class LocalTenantBudgets implements TenantBudgets {

    private final TokenBucket bucket;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    LocalTenantBudgets(TokenBucket bucket) {
        this.bucket = bucket;
    }

    @Override
    public Take take(String key, Instant now) {
        State s = state(key, now);
        synchronized (s) {
            if (s.pausedUntil.isAfter(now)) {
                return new Take(false, Duration.between(now, s.pausedUntil), s.throttles);
            }
            s.tokens = bucket.refill(s.tokens, Duration.between(s.refilledAt, now)) - 1;
            if (now.isAfter(s.refilledAt)) s.refilledAt = now;
            return new Take(true, bucket.waitAfterTake(s.tokens), s.throttles);
        }
    }

    @Override
    public int throttled(String key, Instant now, Instant until) {
        State s = state(key, now);
        synchronized (s) {
            if (until.isAfter(s.pausedUntil)) s.pausedUntil = until;
            return ++s.throttles;
        }
    }

    @Override
    public int throttles(String key) {
        State s = states.get(key);
        if (s == null) return 0;
        synchronized (s) {
            return s.throttles;
        }
    }

    @Override
    public void answered(String key) {
        State s = states.get(key);
        if (s == null) return;
        synchronized (s) {
            s.throttles = 0;
        }
    }

    private State state(String key, Instant now) {
        return states.computeIfAbsent(key, k -> new State(bucket.capacity(), now));
    }

    private static final class State {
        double tokens;
        Instant refilledAt;
        Instant pausedUntil = Instant.MIN;
        int throttles;

        State(double tokens, Instant refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
