package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * R32 routes: the daily quartz timer only forwards to direct:billing-reconciliation (UTC cron),
 * the run route decides by the clock, and invoices-kafka is out of the context while Kafka is off
 * (its Kafka behaviour: {@link InvoicesKafkaTest}).
 */
class ReconciliationRoutesTest extends ReconciliationTestBase {

    @Autowired CamelContext context;

    @Test
    void r32TimerRouteOnlyForwardsDailyAtHalfPastMidnightUtc() {
        Route timer = context.getRoute("billing-reconciliation-timer");
        assertThat(timer).isNotNull();
        assertThat(context.getRouteController().getRouteStatus("billing-reconciliation-timer")).isEqualTo(ServiceStatus.Started);
        QuartzEndpoint quartz = (QuartzEndpoint) timer.getEndpoint();
        assertThat(quartz.getCron()).isEqualTo("0 30 0 * * ?");
        assertThat(timer.getEndpoint().getEndpointUri()).contains("trigger.timeZone=UTC");
        RouteDefinition definition = context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition("billing-reconciliation-timer");
        assertThat(steps(definition)).singleElement().isInstanceOfSatisfying(ToDefinition.class,
                to -> assertThat(to.getUri()).isEqualTo("direct:billing-reconciliation"));
    }

    @Test
    void r32RunRouteReconcilesOnlyProvidersWhoseWindowIsOpenOnTheClocksDay() throws Exception {
        subscription("sub-gcp", 2, "SAAS", "1", "1.00", "2.00");  // 6th-21st
        subscription("sub-csp", 30, "SAAS", "1", "1.00", "2.00"); // 10th-25th
        runOn("2024-05-08");
        assertThat(row("sub-gcp")).containsEntry("status", "PENDING").containsEntry("period_start", java.sql.Date.valueOf("2024-04-01"));
        assertThat(row("sub-csp")).isNull();

        // The on-demand run goes through the same route.
        clock.set("2024-05-22");
        ResponseEntity<String> run = api.post().uri("/api/v1/reconciliation/run").retrieve().toEntity(String.class);
        assertThat(run.getStatusCode().value()).as(run.getBody()).isEqualTo(200);
        assertThat(mapper.readValue(run.getBody(), Map.class)).containsKey("PENDING");
        assertThat(row("sub-csp")).containsEntry("status", "PENDING");
    }

    @Test
    void invoicesKafkaRouteIsRemovedWhileKafkaIsOff() {
        assertThat(env.getProperty("cwbridge.kafka.enabled")).isEqualTo("false");
        assertThat(context.getRoute("invoices-kafka")).isNull();
        assertThat(context.getRoute("billing-reconciliation")).isNotNull();
    }

    /** The route's own steps; the shared routeConfiguration adds its onException to every route. */
    private static java.util.List<org.apache.camel.model.ProcessorDefinition<?>> steps(RouteDefinition route) {
        return route.getOutputs().stream().filter(o -> !(o instanceof org.apache.camel.model.OnExceptionDefinition)).toList();
    }
}
