package io.cwbridge.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the CPU of a benchmark phase went, in CPU milliseconds per event: the JVM's threads grouped by what they do
 * (ThreadMXBean), the JVM's own GC and JIT threads (the process's CPU less its Java threads'), and the PostgreSQL
 * processes of the machine ({@code /proc}, Linux only; the bundle's and the sandbox's statements alike). It explains a
 * throughput ratio on a machine whose cores everything shares: the sandbox, the broker and the database run on the
 * same two cores as the bundle. Sampled, not traced: a thread's CPU is read at the start and end of the phase.
 */
final class CpuAccount {

    /** Thread groups, first match wins; the names are those Camel, Kafka, Tomcat and the executors give their threads. */
    private static final String[][] GROUPS = {
            {"sync consumers (seda:subscription-sync)", "seda://subscription-sync"},
            {"Kafka consumer (intake)", "KafkaConsumer["},
            {"benchmark's Kafka producer", "kafka-producer-network-thread"},
            {"Kafka broker (embedded)", "data-plane-kafka", "kafka-", "raft", "quorum", "controller", "broker-", "ExpirationReaper"},
            {"sandbox (Tomcat, stands in for ConnectWise)", "http-nio"},
            {"baseline client threads", "pool-"},
    };

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, String> names = new HashMap<>();
    private final Map<Long, Long> start = new HashMap<>();
    private Map<String, Double> last = Map.of();
    private long processStart;
    private long compileStart;
    private Map<String, Long> postgresStart = Map.of();

    CpuAccount() {
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    void begin() {
        start.clear();
        start.putAll(threadCpu());
        processStart = processCpu();
        compileStart = compileMillis();
        postgresStart = postgresCpu();
    }

    /** CPU ms per event since {@link #begin}, by group, in the order of {@link #GROUPS}, then the rest. */
    Map<String, Double> end(long events) {
        Map<Long, Long> now = threadCpu();
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (String[] g : GROUPS) byGroup.put(g[0], 0.0);
        byGroup.put("other Java threads", 0.0);
        long javaTotal = 0;
        for (Map.Entry<Long, Long> e : now.entrySet()) {
            long used = e.getValue() - start.getOrDefault(e.getKey(), 0L);
            if (used <= 0) continue;
            javaTotal += used;
            byGroup.merge(group(names.getOrDefault(e.getKey(), "")), used / 1e6 / events, Double::sum);
        }
        long process = processCpu() - processStart;
        if (process > 0) {
            // What no live Java thread accounts for: the JIT compiler's and the GC's threads, and threads that ended during the
            // phase (the benchmark's producer). The JIT's own account of its compile time is shown with it.
            double vm = Math.max(0, process - javaTotal) / 1e6 / events;
            double jit = Math.max(0, compileMillis() - compileStart) / (double) events;
            byGroup.put(String.format(Locale.ROOT, "JVM: JIT, GC, ended threads (JIT compiled %.2f)", jit), vm);
        }
        Map<String, Long> postgres = postgresCpu();
        if (!postgres.isEmpty()) {
            // By kind of process (its title): the backends running statements, and the background ones (WAL writer,
            // autovacuum, checkpointer). A process that started during the phase counts whole; one that ended, not at all.
            Map<String, Long> kinds = new java.util.TreeMap<>();
            postgres.forEach((pid, ns) -> kinds.merge(kindOf(pid), ns - postgresStart.getOrDefault(pid, 0L), Long::sum));
            kinds.forEach((kind, ns) -> byGroup.put("PostgreSQL " + kind, Math.max(0, ns) / 1e6 / events));
        }
        last = byGroup;
        return byGroup;
    }

    /** What the last {@link #end} answered. */
    Map<String, Double> lastPhase() {
        return last;
    }

    static String format(Map<String, Double> perEvent) {
        StringBuilder out = new StringBuilder();
        double total = perEvent.values().stream().mapToDouble(Double::doubleValue).sum();
        perEvent.forEach((group, ms) -> {
            if (ms >= 0.005) out.append(String.format(Locale.ROOT, "      %-48s %6.2f ms%n", group, ms));
        });
        out.append(String.format(Locale.ROOT, "      %-48s %6.2f ms", "total", total));
        return out.toString();
    }

    private static String group(String thread) {
        for (String[] g : GROUPS) {
            for (int i = 1; i < g.length; i++) {
                if (thread.contains(g[i])) return g[0];
            }
        }
        return "other Java threads";
    }

    private Map<Long, Long> threadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            long used = threads.getThreadCpuTime(info.getThreadId());
            if (used >= 0) {
                cpu.put(info.getThreadId(), used);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return cpu;
    }

    private static long compileMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private final Map<String, String> postgresKinds = new HashMap<>();

    /** The kind of PostgreSQL process {@code pid} is, from its title: "backends" for the sessions, else e.g. "walwriter". */
    private String kindOf(String pid) {
        return postgresKinds.computeIfAbsent(pid, p -> {
            try {
                String title = Files.readString(Path.of("/proc", p, "cmdline")).replace('\0', ' ').trim();
                if (!title.startsWith("postgres: ")) return "postmaster";
                String kind = title.substring("postgres: ".length());
                // a session's title is "user database host(port) state"; the background processes name themselves
                return kind.contains("(") || kind.contains(" idle") ? "backends" : kind.split(" ")[0];
            } catch (IOException | RuntimeException gone) {
                return "ended";
            }
        });
    }

    /** User + system CPU of every process named postgres by pid, in ns (clock ticks of 10 ms); empty without /proc. */
    private Map<String, Long> postgresCpu() {
        Map<String, Long> cpu = new HashMap<>();
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return cpu;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path pid : pids) {
                try {
                    String stat = Files.readString(pid.resolve("stat"));
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")) continue;
                    String[] fields = stat.substring(close + 2).split(" ");
                    // after "pid (comm) ": state is field 3, utime field 14, stime field 15 (proc(5)); here 0-based from state
                    String id = pid.getFileName().toString();
                    kindOf(id);
                    cpu.put(id, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L);
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }
}
