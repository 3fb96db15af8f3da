package io.cwbridge.connectwise;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' budgets in table {@code connectwise_rate_bucket} (V22), one row per tenant, shared
 * by every instance of the bundle: a take is one atomic upsert that refills the row from the time
 * elapsed since its last refill ({@link TokenBucket}'s arithmetic, in SQL) and takes a token, so
 * two instances never spend the same token. The 429 pause and the streak of 429s live in the same
 * row, so a tenant throttled on one instance is paused on all.
 *
 * <p>Each statement runs on its own pooled connection in auto-commit, outside any transaction of
 * the caller: the row is locked only for the statement, never while a caller's transaction runs.
 * While the database cannot be reached the budgets of this instance are used instead
 * ({@link LocalTenantBudgets}): calls go on, paced per instance, and the table is tried again
 * every few seconds (not on every call: each try may wait out the pool's connection time-out).
 */
final class PostgresTenantBudgets implements TenantBudgets {

    private static final Logger log = LoggerFactory.getLogger(PostgresTenantBudgets.class);

    // EXCLUDED is the row this take would insert: tokens = capacity - 1, refilled_at = now.
    private static final String TAKE = """
            INSERT INTO connectwise_rate_bucket AS b (tenant_key, tokens, refilled_at) VALUES (?, ?, ?)
            ON CONFLICT (tenant_key) DO UPDATE SET
              tokens = CASE WHEN b.paused_until > EXCLUDED.refilled_at THEN b.tokens
                            ELSE LEAST(EXCLUDED.tokens + 1, b.tokens
                                 + GREATEST(0, EXTRACT(EPOCH FROM EXCLUDED.refilled_at - b.refilled_at)::float8) * ?) - 1 END,
              refilled_at = CASE WHEN b.paused_until > EXCLUDED.refilled_at THEN b.refilled_at
                                 ELSE GREATEST(b.refilled_at, EXCLUDED.refilled_at) END
            RETURNING tokens, paused_until, throttles""";

    private static final String THROTTLED = """
            INSERT INTO connectwise_rate_bucket AS b (tenant_key, tokens, refilled_at, paused_until, throttles)
            VALUES (?, ?, ?, ?, 1)
            ON CONFLICT (tenant_key) DO UPDATE SET
              paused_until = GREATEST(b.paused_until, EXCLUDED.paused_until), throttles = b.throttles + 1
            RETURNING throttles""";

    private final DataSource dataSource;
    private final TokenBucket bucket;
    private final LocalTenantBudgets fallback;
    private final AtomicBoolean degraded = new AtomicBoolean();
    /** After a failure the table is asked again only this much later: each try may wait out the pool's time-out. */
    private static final Duration RETRY_TABLE_AFTER = Duration.ofSeconds(5);
    private volatile Instant tableRetryAt = Instant.MIN;
    /** Tenants whose streak of 429s this instance saw open: only they need the streak reset on an answer. */
    private final Set<String> streaks = ConcurrentHashMap.newKeySet();

    PostgresTenantBudgets(DataSource dataSource, TokenBucket bucket) {
        this.dataSource = dataSource;
        this.bucket = bucket;
        this.fallback = new LocalTenantBudgets(bucket);
    }

    @Override
    public Take take(String key, Instant now) {
        if (now.isBefore(tableRetryAt)) return fallback.take(key, now);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(TAKE)) {
            s.setString(1, key);
            s.setDouble(2, bucket.capacity() - 1);
            s.setTimestamp(3, Timestamp.from(now));
            s.setDouble(4, bucket.refillPerSecond());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                double tokens = r.getDouble(1);
                Timestamp pausedUntil = r.getTimestamp(2);
                int throttles = r.getInt(3);
                recovered();
                if (throttles > 0) streaks.add(key);
                if (pausedUntil != null && pausedUntil.toInstant().isAfter(now)) {
                    return new Take(false, Duration.between(now, pausedUntil.toInstant()), throttles);
                }
                return new Take(true, bucket.waitAfterTake(tokens), throttles);
            }
        } catch (SQLException e) {
            unreachable(e, now);
            return fallback.take(key, now);
        }
    }

    @Override
    public int throttled(String key, Instant now, Instant until) {
        streaks.add(key);
        if (now.isBefore(tableRetryAt)) return fallback.throttled(key, now, until);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(THROTTLED)) {
            s.setString(1, key);
            s.setDouble(2, bucket.capacity());
            s.setTimestamp(3, Timestamp.from(now));
            s.setTimestamp(4, Timestamp.from(until));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                recovered();
                return r.getInt(1);
            }
        } catch (SQLException e) {
            unreachable(e, now);
            return fallback.throttled(key, now, until);
        }
    }

    @Override
    public int throttles(String key) {
        if (degraded.get()) return fallback.throttles(key);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT throttles FROM connectwise_rate_bucket WHERE tenant_key = ?")) {
            s.setString(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getInt(1) : 0;
            }
        } catch (SQLException e) {
            unreachable(e, null);
            return fallback.throttles(key);
        }
    }

    @Override
    public void answered(String key) {
        fallback.answered(key);
        if (degraded.get() || !streaks.remove(key)) return; // the common case: no streak open, no round trip
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE connectwise_rate_bucket SET throttles = 0 WHERE tenant_key = ? AND throttles <> 0")) {
            s.setString(1, key);
            s.executeUpdate();
        } catch (SQLException e) {
            unreachable(e, null);
        }
    }

    private void unreachable(SQLException e, Instant now) {
        if (now != null) tableRetryAt = now.plus(RETRY_TABLE_AFTER);
        if (degraded.compareAndSet(false, true)) {
            log.warn("Shared ConnectWise request budgets unreachable ({}); pacing per instance until they answer", e.getMessage());
        }
    }

    private void recovered() {
        if (degraded.compareAndSet(true, false)) {
            log.info("Shared ConnectWise request budgets reachable again");
        }
    }
}
