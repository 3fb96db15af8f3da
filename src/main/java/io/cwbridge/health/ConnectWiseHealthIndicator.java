package io.cwbridge.health;

import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * ConnectWise reachability per partner on the actuator ({@code /actuator/health}, component
 * {@code connectWise}). Each partner's tenant gets one {@code system/info} call at most every
 * {@code cwbridge.health.connectwise-interval} (default 60 s), with a short time-out and no retry,
 * so health polling never adds load worth counting against the partner's rate limit.
 *
 * <p>A tenant that cannot be reached makes the component {@link #DEGRADED}, not DOWN: the bundle
 * itself still takes events and keeps them as tasks, so a load balancer must not take it out of
 * service for one partner's ConnectWise. Details show each partner's HTTP status, never a key.
 */
@Component("connectWise")
public class ConnectWiseHealthIndicator extends AbstractHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "one or more partners' ConnectWise could not be reached");

    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;
    private final Clock clock;
    private final Duration interval;
    private final Duration timeout;
    private final Map<String, Probe> lastProbe = new ConcurrentHashMap<>();

    public ConnectWiseHealthIndicator(PartnerConnectionRepository connections, ConnectWiseClient client,
            @Value("${cwbridge.health.connectwise-interval:60s}") Duration interval,
            @Value("${cwbridge.health.connectwise-timeout:3s}") Duration timeout) {
        super("ConnectWise health check failed");
        this.connections = connections;
        this.client = client;
        this.clock = Clock.systemUTC(); // wall time for caching, not a business date
        this.interval = interval;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> partners = new LinkedHashMap<>();
        boolean allReachable = true;
        for (String partnerId : connections.partnerIds()) {
            Probe probe = probe(partnerId);
            allReachable &= probe.reachable();
            partners.put(partnerId, Map.of("reachable", probe.reachable(), "httpStatus", probe.httpStatus(),
                    "checkedAt", probe.checkedAt().toString()));
        }
        builder.status(allReachable ? Status.UP : DEGRADED).withDetail("partners", partners);
    }

    private Probe probe(String partnerId) {
        Instant now = clock.instant();
        Probe last = lastProbe.get(partnerId);
        if (last != null && last.checkedAt().plus(interval).isAfter(now)) {
            return last;
        }
        int status = connections.find(partnerId).map(this::call).orElse(0);
        Probe probe = new Probe(status >= 200 && status < 300, status, now);
        lastProbe.put(partnerId, probe);
        return probe;
    }

    private int call(ConnectWiseConnection connection) {
        return client.probe(connection, timeout);
    }

    private record Probe(boolean reachable, int httpStatus, Instant checkedAt) {}
}
