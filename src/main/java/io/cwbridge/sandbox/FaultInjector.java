package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The queue of injected faults; each matching API call takes one, oldest first. */
final class FaultInjector {

    private final List<Fault> queue = new ArrayList<>();
    private long nextId = 1;

    synchronized Fault add(JsonNode body) {
        Fault fault = Fault.fromJson(nextId, body);
        nextId++;
        queue.add(fault);
        return fault;
    }

    /** Takes one use of the first fault matching the call, if any. */
    synchronized Optional<Fault> take(String method, String path) {
        for (int i = 0; i < queue.size(); i++) {
            Fault fault = queue.get(i);
            if (fault.matches(method, path)) {
                Fault left = fault.consumeOne();
                if (left.remaining() > 0) {
                    queue.set(i, left);
                } else {
                    queue.remove(i);
                }
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }

    synchronized List<Fault> pending() {
        return List.copyOf(new ArrayList<>(queue));
    }

    synchronized void clear() {
        queue.clear();
    }
}
