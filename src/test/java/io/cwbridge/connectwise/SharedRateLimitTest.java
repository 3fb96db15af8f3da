package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;

import io.cwbridge.testsupport.SharedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two bundle instances' limiters on one database (the test JVM's PostgreSQL, migrated by Flyway, V22): together
 * they stay within the configured rate of the tenant. Time is a test clock the limiters' sleeper
 * moves, so the grant times are exact and nothing waits on the wall clock.
 */
class SharedRateLimitTest {

    private static final int RATE = 600;
    private static final TokenBucket BUCKET = TokenBucket.perMinute(RATE);
    /** The refill the shared table paces by: slowed for the tokens an instance draws ahead (issue 14, PostgresTenantBudgets.shared). */
    private static final TokenBucket SHARED = PostgresTenantBudgets.shared(BUCKET);
    /** A fresh database on the test JVM's one PostgreSQL. */
    private static String database;
    private static final List<HikariDataSource> pools = new ArrayList<>();

    @BeforeAll
    static void startDatabase() throws IOException {
        database = SharedPostgres.newDatabase("rate_limit");
        Flyway.configure().dataSource(database, SharedPostgres.USER, null).load().migrate();
    }

    @AfterAll
    static void stopDatabase() throws IOException {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void twoInstancesTogetherNeverExceedTheRateInAnyWindow() throws InterruptedException {
        TestClock clock = new TestClock();
        RequestRateLimiter first = shared(clock, clock::advance);
        RequestRateLimiter second = shared(clock, clock::advance);

        List<Instant> granted = callAlternately(first, second, clock, "tenant-window");

        assertWithinBudget(granted);
        // Not stricter than asked either: a saturated stretch runs at the refill rate.
        Duration burst = Duration.between(granted.get(0), granted.get(700));
        // (each wait is rounded up to PostgreSQL's microsecond)
        assertThat(burst.toNanos()).isCloseTo(SHARED.waitAfterTake(SHARED.capacity() - 1 - 700).toNanos(), within(1_000_000L));
    }

    @Test
    void budgetsPerInstanceWouldExceedTheRate() throws InterruptedException {
        // The check above can fail: two instances each with their own budget (the old limiter) go well over it.
        TestClock clock = new TestClock();
        RequestRateLimiter first = new RequestRateLimiter(new LocalTenantBudgets(BUCKET), clock, clock::advance);
        RequestRateLimiter second = new RequestRateLimiter(new LocalTenantBudgets(BUCKET), clock, clock::advance);

        List<Instant> granted = callAlternately(first, second, clock, "tenant-local");

        assertThat(maxInAnyMinute(granted)).isGreaterThan(RATE + RATE / 4);
    }

    @Test
    void concurrentTakesOfBothInstancesNeverShareAToken() throws Exception {
        // The clock stands still: no refill, so each take must get its own slot after the burst.
        TestClock clock = new TestClock();
        List<Instant> granted = new CopyOnWriteArrayList<>();
        RequestRateLimiter.Sleeper record = wait -> granted.add(clock.instant().plus(wait));
        RequestRateLimiter first = shared(clock, record);
        RequestRateLimiter second = shared(clock, record);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            RequestRateLimiter limiter = t % 2 == 0 ? first : second;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) limiter.acquire("tenant-concurrent");
                return null;
            }));
        }
        for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        // Waits of zero are not recorded: the burst went at once.
        List<Instant> expected = new ArrayList<>();
        for (int i = (int) BUCKET.capacity(); i < 400; i++) {
            expected.add(clock.instant().plus(SHARED.waitAfterTake(SHARED.capacity() - 1 - i)));
        }
        assertThat(granted).hasSize(400 - (int) BUCKET.capacity());
        assertThat(granted.stream().sorted().toList()).isEqualTo(expected);
    }

    @Test
    void a429OnOneInstancePausesTheTenantOnTheOther() throws InterruptedException {
        TestClock clock = new TestClock();
        List<Duration> waits = new ArrayList<>();
        RequestRateLimiter first = shared(clock, clock::advance);
        RequestRateLimiter second = shared(clock, wait -> { waits.add(wait); clock.advance(wait); });
        Instant start = clock.instant();

        assertThat(first.throttled("tenant-paused", Duration.ofSeconds(2))).isEqualTo(1);
        second.acquire("tenant-other");
        assertThat(waits).as("another tenant is not paused").isEmpty();
        second.acquire("tenant-paused");

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(clock.instant()).isEqualTo(start.plusSeconds(2));
        assertThat(second.throttles("tenant-paused")).isEqualTo(1);
        second.answered("tenant-paused");
        assertThat(first.throttles("tenant-paused")).as("the streak ends for every instance").isZero();
    }

    @Test
    void aTakeDrawsAFewTokensThatItsInstanceSpendsWithinTheLeaseOnly() throws Exception {
        // Issue 14: one round trip draws up to LEASE_MAX tokens the bucket holds; the instance spends them within LEASE_TTL.
        TestClock clock = new TestClock();
        RequestRateLimiter first = shared(clock, clock::advance);
        RequestRateLimiter second = shared(clock, clock::advance);
        String tenant = "tenant-lease";
        first.acquire(tenant);
        assertThat(row(tenant)).as("one take drew 5 of the full bucket's 10").containsExactly(10.0 - 5, 5.0);
        for (int i = 0; i < 4; i++) first.acquire(tenant);
        assertThat(row(tenant)).as("the other 4 spent without a round trip").containsExactly(5.0, 5.0);
        second.acquire(tenant);
        assertThat(row(tenant)).as("another instance draws from the shared bucket").containsExactly(0.0, 5.0);
        clock.advance(PostgresTenantBudgets.LEASE_TTL);
        first.acquire(tenant);
        // the lease is over: the next call takes from the table again (refilled for the second that passed, less one)
        double refilled = Math.min(SHARED.capacity(), SHARED.refillPerNano() * PostgresTenantBudgets.LEASE_TTL.toNanos());
        double[] after = row(tenant);
        assertThat(after[0]).isCloseTo(refilled - Math.min(5, Math.floor(refilled)), within(1e-6));
        assertThat(after[1]).isEqualTo(Math.min(5, Math.floor(refilled)));
        // An empty bucket grants one token at a time (a reservation), never a lease.
        for (int i = 0; i < 30; i++) second.acquire(tenant);
        assertThat(row(tenant)[1]).isEqualTo(1.0);
    }

    /** tokens and granted of the tenant's row. */
    private double[] row(String tenant) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database, SharedPostgres.USER, null);
             java.sql.PreparedStatement s = c.prepareStatement("SELECT tokens, granted FROM connectwise_rate_bucket WHERE tenant_key = ?")) {
            s.setString(1, tenant);
            try (java.sql.ResultSet r = s.executeQuery()) {
                r.next();
                return new double[] {r.getDouble(1), r.getInt(2)};
            }
        }
    }

    /** One instance: its own connection pool on the shared database. */
    @Test
    void withoutTheDatabaseAnInstancePacesItself() throws InterruptedException {
        TestClock clock = new TestClock();
        HikariDataSource gone = new HikariDataSource();
        gone.setJdbcUrl(database);
        gone.close();
        RequestRateLimiter alone = RequestRateLimiter.shared(RATE, gone, clock, clock::advance);
        List<Instant> granted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            alone.acquire("tenant-no-database");
            granted.add(clock.instant());
        }

        assertWithinBudget(granted);
        assertThat(Duration.between(granted.get(0), granted.get(199)).toNanos())
                .isCloseTo(BUCKET.waitAfterTake(BUCKET.capacity() - 1 - 199).toNanos(), within(1_000_000L));
    }

    private RequestRateLimiter shared(Clock clock, RequestRateLimiter.Sleeper sleeper) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(database);
        pool.setMaximumPoolSize(4);
        pools.add(pool);
        return RequestRateLimiter.shared(RATE, pool, clock, sleeper);
    }

    /** 1,500 calls spread over both instances: long saturated stretches with idle gaps between them. */
    private static List<Instant> callAlternately(RequestRateLimiter first, RequestRateLimiter second, TestClock clock, String tenant)
            throws InterruptedException {
        Random random = new Random(14);
        List<Instant> granted = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            if (i > 700 && random.nextInt(100) == 0) clock.advance(Duration.ofMillis(random.nextInt(20_000)));
            (random.nextBoolean() ? first : second).acquire(tenant);
            granted.add(clock.instant());
        }
        return granted;
    }

    /** n calls granted within any span d: at most burst + refill x d, so at most RATE in any minute. */
    private static void assertWithinBudget(List<Instant> granted) {
        for (int i = 0; i < granted.size(); i++) {
            for (int j = i + 1; j < granted.size(); j++) {
                long span = Duration.between(granted.get(i), granted.get(j)).toNanos();
                assertThat(j - i + 1.0).as("calls %d..%d", i, j)
                        .isLessThanOrEqualTo(BUCKET.capacity() + BUCKET.refillPerNano() * span + 1e-6);
            }
        }
        assertThat(maxInAnyMinute(granted)).isLessThanOrEqualTo(RATE);
    }

    private static int maxInAnyMinute(List<Instant> granted) {
        int max = 0;
        for (int i = 0, j = 0; i < granted.size(); i++) {
            while (j < granted.size() && !granted.get(j).isAfter(granted.get(i).plus(Duration.ofMinutes(1)))) j++;
            max = Math.max(max, j - i);
        }
        return max;
    }

    /** A clock that only the limiters' sleeper moves (microseconds, as PostgreSQL keeps them). */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

        /** Rounded up: a caller never goes before its token is due. */
        synchronized void advance(Duration by) {
            Instant later = now.plus(by);
            Instant micros = later.truncatedTo(ChronoUnit.MICROS);
            now = micros.equals(later) ? later : micros.plus(1, ChronoUnit.MICROS);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return Clock.fixed(now, zone); }
        @Override public Instant instant() { return now; }
    }
}
