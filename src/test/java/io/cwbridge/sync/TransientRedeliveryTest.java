package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * {@link TransientRedelivery}: the bundle's own routes/route-configuration.yaml, a route with
 * {@code caller-error-handling} (the task's routes) and one with {@code bundle-error-handling}, each failing on
 * demand. A transient database failure sends the whole exchange again with bundle-error-handling's policy; any
 * other failure reaches the caller as it is.
 */
class TransientRedeliveryTest {

    CamelContext camel;
    ProducerTemplate producer;
    final AtomicInteger attempts = new AtomicInteger();
    volatile int failuresLeft;
    volatile RuntimeException failure;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:routes/route-configuration.yaml"));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:caller-handled").routeId("caller-handled").routeConfigurationId("caller-error-handling").process(this::fail);
                from("direct:own-redelivery").routeId("own-redelivery").routeConfigurationId("bundle-error-handling").process(this::fail);
            }

            void fail(Exchange exchange) {
                attempts.incrementAndGet();
                if (failuresLeft-- > 0) throw failure;
                exchange.getMessage().setBody("done");
            }
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    Exchange send(String uri) {
        return new TransientRedelivery(camel).send("test", redeliveries -> producer.send(uri, e -> e.setVariable("try", redeliveries)));
    }

    @Test
    void aTransientDatabaseFailureSendsTheWholeExchangeAgain() {
        failure = new TransientDataAccessResourceException("connection lost");
        failuresLeft = 2;
        Exchange done = send("direct:caller-handled");
        assertThat(done.getException()).isNull();
        assertThat(done.getMessage().getBody()).isEqualTo("done");
        assertThat(attempts).hasValue(3);
        assertThat(done.getVariable("try")).isEqualTo(2);
    }

    @Test
    void aTransientFailureOutlastingThePolicyReachesTheCallerAfterItsRedeliveries() {
        failure = new TransientDataAccessResourceException("connection lost");
        failuresLeft = 100;
        Exchange done = send("direct:caller-handled");
        assertThat(done.getException()).isInstanceOf(TransientDataAccessResourceException.class);
        assertThat(attempts).hasValue(1 + 4); // maximumRedeliveries: 4
    }

    @Test
    void anyOtherFailureIsNotSentAgain() {
        failure = new DataIntegrityViolationException("duplicate");
        failuresLeft = 1;
        Exchange done = send("direct:caller-handled");
        assertThat(done.getException()).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRouteWithBundleErrorHandlingRedeliversItsOwnStepTheSameWay() {
        failure = new TransientDataAccessResourceException("connection lost");
        failuresLeft = 2;
        Exchange done = producer.send("direct:own-redelivery", e -> { });
        assertThat(done.getException()).isNull();
        assertThat(attempts).hasValue(3);
    }
}
