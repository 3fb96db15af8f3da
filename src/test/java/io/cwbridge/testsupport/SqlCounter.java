package io.cwbridge.testsupport;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts the SQL round trips of every test context (issue 14: SQL per event): each statement
 * execution ({@code execute*}, a batch counts once) and each explicit commit or rollback, by its SQL
 * text. A test-only auto-configuration (META-INF/spring/…AutoConfiguration.imports under
 * src/test/resources) wraps the context's DataSource bean, so it adds no context variation.
 * Counts are JVM-wide; Quartz's threads and the retry timer's are left out, other background work is counted
 * (callers filter by text, e.g. the sandbox's own store).
 */
@AutoConfiguration
public class SqlCounter {

    private static final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
    private static final ThreadLocal<Boolean> uncounted = ThreadLocal.withInitial(() -> false);
    /** Each statement text folded once: the regex on every round trip was a few % of the benchmark's sync path. */
    private static final Map<String, String> folded = new ConcurrentHashMap<>();

    @Bean
    static BeanPostProcessor sqlCountingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof DataSource ds && !(bean instanceof Counting) ? new Counting(ds) : bean;
            }
        };
    }

    /** Forgets what was counted so far. */
    public static void reset() {
        counts.clear();
    }

    /** Round trips since the last {@link #reset}, by statement (whitespace folded), sorted by text. */
    public static Map<String, Long> byStatement() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((sql, n) -> copy.put(sql, n.sum()));
        return copy;
    }

    /** Round trips since the last {@link #reset} whose text does not contain any of {@code ignored} (case-insensitive). */
    public static long total(String... ignored) {
        return byStatement().entrySet().stream()
                .filter(e -> java.util.Arrays.stream(ignored).noneMatch(i -> e.getKey().toLowerCase().contains(i.toLowerCase())))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Whether the calling thread's statements count (a test's own polling should not). */
    public static void countThisThread(boolean counted) {
        uncounted.set(!counted);
    }

    private static boolean inSandbox() {
        // The sandbox's transaction methods sit a dozen or so frames above its commit; the bundle's stacks run deep into
        // Camel, so the walk stops after 48 frames instead of walking every one of them on every commit.
        return StackWalker.getInstance().walk(frames -> frames.limit(48)
                .anyMatch(f -> f.getClassName().startsWith("io.cwbridge.sandbox.")));
    }

    static void count(String sql) {
        if (uncounted.get()) return;
        // Background work whatever the load: Quartz's cluster check-ins (their commits carry no text to filter by) and
        // the retry timer's poll of due tasks.
        String thread = Thread.currentThread().getName();
        if (thread.contains("Quartz") || thread.contains("timer://subscription-retries")) return;
        String key = sql == null ? "?" : folded.computeIfAbsent(sql, text -> WHITESPACE.matcher(text).replaceAll(" ").trim());
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    static final class Counting extends DelegatingDataSource {
        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connection(super.getConnection(username, password));
        }
    }

    private static Connection connection(Connection target) {
        return (Connection) Proxy.newProxyInstance(SqlCounter.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(target, null));
    }

    private record Handler(Object target, String sql) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (target instanceof Connection && (name.equals("commit") || name.equals("rollback"))) {
                // The sandbox's own transactions (it stands in for ConnectWise) are named after its schema, so callers
                // that leave out "cw_sandbox." statements leave out their commits too.
                count(name.toUpperCase() + (inSandbox() ? " cw_sandbox." : ""));
            }
            if (target instanceof Statement && (name.startsWith("execute"))) {
                count(args != null && args.length > 0 && args[0] instanceof String s ? s : sql);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (target instanceof Connection && result instanceof Statement statement) {
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                String text = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                return Proxy.newProxyInstance(SqlCounter.class.getClassLoader(), new Class<?>[] {type}, new Handler(statement, text));
            }
            return result;
        }
    }
}
