package io.cwbridge.ingest;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Takes the Kafka ingest out of the context while {@code cwbridge.kafka.enabled} is false (the
 * embedded default): every route whose id ends in {@code -kafka} and every route consuming from
 * {@code kafka:}. The route's own {@code autoStartup} is not enough: the Kamelet
 * {@code subscription-events-source} runs as a route of its own, which would connect to the
 * configured brokers, and a stopped route would still turn the readiness check red on a machine
 * without Kafka.
 */
@Component
@ConditionalOnProperty(name = "cwbridge.kafka.enabled", havingValue = "false", matchIfMissing = true)
public class KafkaIngestSwitch implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestSwitch.class);
    /** Routes that read from Kafka through a Kamelet are named {@code …-kafka}. */
    static final String KAFKA_ROUTE_SUFFIX = "-kafka";
    private static final String KAFKA_CONSUMERS = "kafka:*";

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // Never connect, not even for the moment between start and removal.
        String current = camelContext.getAutoStartupExcludePattern();
        camelContext.setAutoStartupExcludePattern(
                current == null || current.isBlank() ? KAFKA_CONSUMERS : current + "," + KAFKA_CONSUMERS);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        List<String> kafkaRoutes = camelContext.getRoutes().stream()
                .filter(r -> r.getRouteId().endsWith(KAFKA_ROUTE_SUFFIX) || r.getEndpoint().getEndpointUri().startsWith("kafka:"))
                .map(Route::getRouteId)
                .toList();
        for (String routeId : kafkaRoutes) {
            try {
                camelContext.getRouteController().stopRoute(routeId);
                camelContext.removeRoute(routeId);
            } catch (Exception e) {
                throw new IllegalStateException("Could not take Kafka route " + routeId + " out of the context", e);
            }
        }
        LOG.info("Kafka ingest is off (cwbridge.kafka.enabled=false); removed routes {}", kafkaRoutes);
    }
}
