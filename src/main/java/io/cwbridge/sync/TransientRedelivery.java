package io.cwbridge.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.reifier.errorhandler.ErrorHandlerReifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redelivery of routeConfiguration {@code bundle-error-handling} (routes/route-configuration.yaml), applied by a
 * Java caller to a whole exchange it sends into routes with {@code caller-error-handling} (no error handler of their
 * own, so Camel copies no exchange per step, issue 14): on the transient database failures that routeConfiguration
 * names (the failure or one of its causes), the exchange is sent again with its redelivery policy's back-off. The
 * exceptions and the policy are read from that routeConfiguration, so both places redeliver the same. Only for
 * exchanges whose routes have no redelivery of their own: Camel's mark that a route's redeliveries are spent is gone
 * once the exchange is done, so one of its routes with bundle-error-handling would multiply the attempts.
 */
public final class TransientRedelivery {

    private static final Logger log = LoggerFactory.getLogger(TransientRedelivery.class);

    static final String CONFIGURATION = "bundle-error-handling";

    private final CamelContext camel;
    private volatile Policy policy;

    private record Policy(List<Class<?>> exceptions, RedeliveryPolicy redelivery) {

        boolean matches(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                for (Class<?> type : exceptions) {
                    if (type.isInstance(t)) return true;
                }
            }
            return false;
        }
    }

    public TransientRedelivery(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * Sends {@code attempt} (given the redeliveries so far: 0 for the first try) until it does not fail with a
     * transient database failure or the policy's redeliveries are spent; answers the last exchange.
     */
    public Exchange send(String what, IntFunction<Exchange> attempt) {
        long delay = 0;
        for (int redeliveries = 0; ; redeliveries++) {
            Exchange done = attempt.apply(redeliveries);
            Exception failure = done.getException();
            if (failure == null) return done;
            Policy p = policy();
            if (!p.matches(failure) || !p.redelivery().shouldRedeliver(done, redeliveries + 1, null)) return done;
            delay = p.redelivery().calculateRedeliveryDelay(delay, redeliveries + 1);
            log.warn("{} failed ({}): redelivery {} of {} in {} ms", what, failure.toString(), redeliveries + 1,
                    p.redelivery().getMaximumRedeliveries(), delay);
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done;
            }
        }
    }

    private Policy policy() {
        Policy p = policy;
        if (p != null) return p;
        RouteConfigurationDefinition configuration = ((ModelCamelContext) camel).getRouteConfigurationDefinition(CONFIGURATION);
        if (configuration == null) throw new IllegalStateException("routeConfiguration " + CONFIGURATION + " is not loaded");
        OnExceptionDefinition transientFailures = configuration.getOnExceptions().stream()
                .filter(o -> o.getRedeliveryPolicyType() != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("routeConfiguration " + CONFIGURATION + " redelivers nothing"));
        List<Class<?>> exceptions = new ArrayList<>();
        for (String name : transientFailures.getExceptions()) {
            exceptions.add(camel.getClassResolver().resolveClass(name));
        }
        exceptions.removeIf(java.util.Objects::isNull);
        p = new Policy(List.copyOf(exceptions),
                ErrorHandlerReifier.createRedeliveryPolicy(transientFailures.getRedeliveryPolicyType(), camel, null));
        policy = p;
        return p;
    }
}
