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
 * two instances never spend the same token. A take draws up to {@link #LEASE_MAX} tokens the bucket holds
 * and this instance spends the rest within {@link #LEASE_TTL} without a round trip (issue 14); the bound
 * this keeps for all instances together is at {@link #shared(TokenBucket)}. A 429 seen by another
 * instance pauses this one's spending within that TTL at the latest. The 429 pause and the streak of 429s live in the same
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

    /**
     * A take draws up to this many tokens in one round trip (issue 14: SQL per event), never more than the bucket holds
     * (a reservation is always one token) nor than its burst, and this instance spends the rest itself within
     * {@link #LEASE_TTL}; what is left then is dropped, not given back.
     */
    static final int LEASE_MAX = 5;

    /** How long the drawn tokens of a take may be spent by this instance. */
    static final Duration LEASE_TTL = Duration.ofSeconds(1);

    /** The bucket's level after refill (parameters: capacity, refill per second). */
    private static final String REFILLED =
            "LEAST(?, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM EXCLUDED.refilled_at - b.refilled_at)::float8) * ?)";

    /** Tokens this take draws: 1 (maybe a reservation) up to the lease, never more than the bucket holds (lease, REFILLED). */
    private static final String GRANT = "GREATEST(1, LEAST(?, FLOOR(" + REFILLED + ")))";

    // EXCLUDED is the row this take would insert: a full bucket less the first lease, refilled_at = now.
    private static final String TAKE = """
            INSERT INTO connectwise_rate_bucket AS b (tenant_key, tokens, refilled_at, granted) VALUES (?, ?, ?, ?)
            ON CONFLICT (tenant_key) DO UPDATE SET
              granted = CASE WHEN b.paused_until > EXCLUDED.refilled_at THEN 0 ELSE CAST(%1$s AS integer) END,
              tokens = CASE WHEN b.paused_until > EXCLUDED.refilled_at THEN b.tokens ELSE %2$s - %1$s END,
              refilled_at = CASE WHEN b.paused_until > EXCLUDED.refilled_at THEN b.refilled_at
                                 ELSE GREATEST(b.refilled_at, EXCLUDED.refilled_at) END
            RETURNING tokens, paused_until, throttles, granted""".formatted(GRANT, REFILLED);

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

    /** Tokens a take may draw: {@link #LEASE_MAX}, at most the burst (capacity), at least one. */
    private final int leaseSize;
    /** Tokens this instance drew and may still spend, per tenant. */
    private final java.util.Map<String, Lease> leases = new ConcurrentHashMap<>();
    /**
     * One draw from the table at a time per tenant on this instance: two threads drawing together each put a lease, and
     * the one put last dropped the other's tokens unspent (taken from the tenant's budget, never used).
     */
    private final java.util.Map<String, Object> draws = new ConcurrentHashMap<>();

    private static final class Lease {
        int left;
        final Instant until;
        final int throttles;

        Lease(int left, Instant until, int throttles) {
            this.left = left;
            this.until = until;
            this.throttles = throttles;
        }
    }

    PostgresTenantBudgets(DataSource dataSource, TokenBucket bucket) {
        this.dataSource = dataSource;
        this.leaseSize = (int) Math.max(1, Math.min(LEASE_MAX, Math.floor(bucket.capacity())));
        this.bucket = shared(bucket);
        this.fallback = new LocalTenantBudgets(bucket);
    }

    /**
     * The bucket the table keeps for {@code configured}: with leases, the refill is slowed by 60 / (60 + TTL) seconds.
     * Tokens drawn at t are spent by t + TTL, so the calls of all instances together in any window of length W were
     * drawn within W + TTL: at most capacity + refill x (W + TTL) (the bucket's arithmetic, {@link TokenBucket}), and
     * with this refill at most capacity + configured refill x 60 s, the configured requests a minute, in any minute
     * window, whatever the number of instances. At the default 600 a minute that paces a saturated tenant at
     * 9.67 instead of 9.83 requests a second.
     */
    static TokenBucket shared(TokenBucket configured) {
        if (Math.floor(configured.capacity()) < 2) return configured; // a lease of one token: none kept, nothing to allow for
        double minute = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        return new TokenBucket(configured.capacity(), configured.refillPerNano() * minute / (minute + LEASE_TTL.toNanos()));
    }

    @Override
    public Take take(String key, Instant now) {
        if (now.isBefore(tableRetryAt)) return fallback.take(key, now);
        Take leased = fromLease(key, now);
        if (leased != null) return leased;
        synchronized (draws.computeIfAbsent(key, k -> new Object())) {
            leased = fromLease(key, now); // drawn by another thread while this one waited
            return leased != null ? leased : draw(key, now);
        }
    }

    /** A token of this instance's lease for the tenant, or null when it has none left (or it expired). */
    private Take fromLease(String key, Instant now) {
        Lease lease = leases.get(key);
        if (lease == null) return null;
        synchronized (lease) {
            if (lease.left > 0 && now.isBefore(lease.until)) {
                lease.left--;
                return new Take(true, Duration.ZERO, lease.throttles);
            }
        }
        return null;
    }

    private Take draw(String key, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(TAKE)) {
            int i = 0;
            s.setString(++i, key);
            s.setDouble(++i, bucket.capacity() - leaseSize);
            s.setTimestamp(++i, Timestamp.from(now));
            s.setInt(++i, leaseSize);
            // granted: GRANT (lease, REFILLED)
            s.setInt(++i, leaseSize);
            s.setDouble(++i, bucket.capacity());
            s.setDouble(++i, bucket.refillPerSecond());
            // tokens: REFILLED - GRANT
            s.setDouble(++i, bucket.capacity());
            s.setDouble(++i, bucket.refillPerSecond());
            s.setInt(++i, leaseSize);
            s.setDouble(++i, bucket.capacity());
            s.setDouble(++i, bucket.refillPerSecond());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                double tokens = r.getDouble(1);
                Timestamp pausedUntil = r.getTimestamp(2);
                int throttles = r.getInt(3);
                int granted = r.getInt(4);
                recovered();
                if (throttles > 0) streaks.add(key);
                if (pausedUntil != null && pausedUntil.toInstant().isAfter(now)) {
                    leases.remove(key);
                    return new Take(false, Duration.between(now, pausedUntil.toInstant()), throttles);
                }
                if (granted > 1) {
                    leases.put(key, new Lease(granted - 1, now.plus(LEASE_TTL), throttles));
                } else {
                    leases.remove(key);
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
        leases.remove(key); // paused: what this instance drew is not spent
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
