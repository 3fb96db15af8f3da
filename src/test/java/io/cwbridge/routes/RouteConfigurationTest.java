package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.test.context.ActiveProfiles;

/**
 * The shared routeConfiguration {@code bundle-error-handling}: a transient database failure is
 * redelivered and the exchange completes; any other failure is not retried and reaches the caller.
 * Shown on route subscription-event-park, whose SQL step is replaced by one that fails on demand.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(properties = "cwbridge.demo.enabled=false")
@ActiveProfiles("test")
class RouteConfigurationTest {

    private static final String INVALID_EVENT = "{\"eventId\":\"rc-1\",\"partnerId\":\"nobody\",\"type\":\"SALES_ORDER\"}";

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    // static: the advice is woven once, by the first test instance, and serves every test
    private static final AtomicInteger attempts = new AtomicInteger();
    private static volatile RuntimeException failure;
    private static volatile int failuresLeft;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (camel.isStarted()) {
            return;
        }
        AdviceWith.adviceWith(camel, "subscription-event-park", route -> route.weaveById("park-subscription-event").replace()
                .process(exchange -> {
                    attempts.incrementAndGet();
                    if (failuresLeft-- > 0) {
                        throw failure;
                    }
                    exchange.getIn().setHeader("parkedId", 42L);
                }));
        camel.start();
    }

    @Test
    void transientDatabaseFailuresAreRedeliveredAndTheEventIsStillParked() {
        attempts.set(0);
        failure = new TransientDataAccessResourceException("connection reset");
        failuresLeft = 2;

        Object result = producer.requestBodyAndHeaders("direct:subscription-events-ingest", INVALID_EVENT, Map.of("source", "HTTP"));

        assertThat(attempts.get()).isEqualTo(3);
        assertThat(result).isNotNull();
    }

    @Test
    void otherFailuresAreNotRetriedAndReachTheCaller() {
        attempts.set(0);
        failure = new DataIntegrityViolationException("value too long");
        failuresLeft = 5;

        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:subscription-events-ingest", INVALID_EVENT,
                Map.of("source", "HTTP")))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts.get()).isEqualTo(1);
    }
}
