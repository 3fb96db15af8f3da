package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;

/**
 * Exchanges completed per route since creation, read from the routes' managed statistics (the
 * same figures Hawtio shows). Works for direct: sub-routes, which NotifyBuilder's fromRoute cannot
 * see because their exchanges were created by the calling route.
 */
public final class RouteCounts {

    private final ManagedCamelContext managed;
    private final Map<String, Long> before = new HashMap<>();

    public RouteCounts(CamelContext camel, String... routeIds) {
        this.managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        for (String routeId : routeIds) {
            before.put(routeId, completed(routeId));
        }
    }

    /** Waits (up to 30 s) until the route has completed {@code expected} more exchanges, then checks it is exactly that. */
    public void assertCompleted(String routeId, long expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (since(routeId) < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(since(routeId)).as("exchanges completed by route %s", routeId).isEqualTo(expected);
    }

    private long since(String routeId) {
        return completed(routeId) - before.getOrDefault(routeId, 0L);
    }

    private long completed(String routeId) {
        ManagedRouteMBean route = managed.getManagedRoute(routeId);
        assertThat(route).as("route %s", routeId).isNotNull();
        return route.getExchangesCompleted();
    }
}
