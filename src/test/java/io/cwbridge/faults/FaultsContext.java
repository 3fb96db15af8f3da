package io.cwbridge.faults;

import io.cwbridge.testsupport.BundleTestBase;
import java.util.UUID;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The one Spring context the in-process fault tests share (BundleTestBase's plus these timings, so
 * it is cached; a fault test adds nothing to it): short back-off (20 ms from application-test.yaml, at most 300 ms),
 * a ConnectWise request time-out of 1 s (so a slow sandbox answer is a time-out), and a task retry after 1 s (so an outage that outlasts a call's attempts heals within the test).
 * The connect time-out stays at its default (5 s; the sandbox is local, so it never runs out), which
 * keeps the delivery lease at about 32 s: a run that gave up releases its claims, so a retry must
 * never wait for the lease, and a test that would be held by it shows it.
 */
@TestPropertySource(properties = {
        "cwbridge.connectwise.max-backoff=300ms",
        "cwbridge.connectwise.request-timeout=1s",
        "cwbridge.connectwise.connect-timeout=5s",
        "cwbridge.connectwise.task-retry-initial=1s"})
abstract class FaultsContext extends BundleTestBase {

    @LocalServerPort int port;

    Tenant tenant(int subscriptions) {
        return new Tenant("f" + UUID.randomUUID().toString().substring(0, 8), port, port).setUp(subscriptions);
    }
}
