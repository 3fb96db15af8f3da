package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The Kafka routes carry {@code precondition: "{{cwbridge.kafka.enabled}}"}: with Kafka off they
 * are not part of the context at all (no consumer, no Kamelet route, nothing for the readiness
 * check to find stopped); with it on they are. Plain Camel, no Spring context: the routes are
 * loaded from {@code routes/} exactly as the bundle loads them.
 */
class KafkaRoutePreconditionTest {

    private static final List<String> KAFKA_ROUTES = List.of("routes/subscription-events-kafka.yaml", "routes/invoices-kafka.yaml");

    @Test
    void kafkaRoutesAreNotCreatedWhileKafkaIsOff() throws Exception {
        try (DefaultCamelContext camel = contextWithKafka("false")) {
            camel.start();
            assertThat(camel.getRouteDefinitions()).isEmpty();
            assertThat(camel.getRoutes()).isEmpty();
            assertThat(camel.getEndpoints()).noneMatch(e -> e.getEndpointUri().startsWith("kafka:")
                    || e.getEndpointUri().startsWith("kamelet:"));
        }
    }

    @Test
    void kafkaRoutesAreIncludedWhenKafkaIsOn() throws Exception {
        // Not started: that would connect to a broker. The precondition decides when routes are added.
        try (DefaultCamelContext camel = contextWithKafka("true")) {
            assertThat(camel.getRouteDefinitions()).extracting(RouteDefinition::getRouteId)
                    .containsExactlyInAnyOrder("subscription-events-kafka", "invoices-kafka");
            assertThat(camel.getRouteDefinitions()).allSatisfy(r ->
                    assertThat(r.getInput().getEndpointUri()).startsWith("kamelet:marketplace-kafka-source?"));
        }
    }

    private static DefaultCamelContext contextWithKafka(String enabled) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("cwbridge.kafka.enabled", enabled);
        camel.getPropertiesComponent().setInitialProperties(properties);
        for (String file : KAFKA_ROUTES) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
        }
        return camel;
    }
}
