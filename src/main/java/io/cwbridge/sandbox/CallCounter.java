package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts API calls per method and path template ({@code "POST /finance/agreements/{parentId}/additions"}),
 * whether they were authorised, faulted or not, so tests can check how often a client called.
 */
final class CallCounter {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void count(String endpoint) {
        counts.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
    }

    /** {@code {"total": n, "byEndpoint": {"GET /system/info": 1, ...}}} */
    ObjectNode snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((endpoint, count) -> sorted.put(endpoint, count.sum()));
        ObjectNode json = SandboxJson.object();
        json.put("total", sorted.values().stream().mapToLong(Long::longValue).sum());
        ObjectNode byEndpoint = json.putObject("byEndpoint");
        sorted.forEach(byEndpoint::put);
        return json;
    }

    void reset() {
        counts.clear();
    }
}
