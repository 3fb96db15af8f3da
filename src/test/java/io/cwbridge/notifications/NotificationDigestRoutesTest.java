package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** R33 routes: the timer only forwards, the SMTP credentials stay on the component. */
class NotificationDigestRoutesTest extends DigestMailTestBase {

    @Autowired CamelContext camel;
    @org.springframework.boot.test.web.server.LocalServerPort int port;

    @Test
    void timerIsAQuartzCronInUtcThatOnlyForwards() {
        Route timer = camel.getRoute("notification-digests-timer");
        assertThat(timer).isNotNull();
        QuartzEndpoint quartz = (QuartzEndpoint) timer.getEndpoint();
        assertThat(quartz.getCron()).isEqualTo("0 0 6 1 1 ? 2099");
        assertThat(quartz.getTriggerParameters()).containsEntry("timeZone", "UTC");

        RouteDefinition definition = ((ModelCamelContext) camel).getRouteDefinition("notification-digests-timer");
        assertThat(steps(definition)).hasSize(1).first().isInstanceOfSatisfying(ToDefinition.class,
                to -> assertThat(to.getUri()).isEqualTo("direct:notification-digests"));
    }

    @Test
    void aTimerFiringSendsTheDigests() throws Exception {
        String partner = partner("timer");
        String recipient = "billing@" + domain(partner);
        notifications(partner, true, true, true, recipient);
        statusChange(partner, "sub-1", "2026-02-01", "SYNCED", "2026-03-09T08:00:00Z");

        Route timer = camel.getRoute("notification-digests-timer");
        Exchange fired = new DefaultExchange(camel);
        timer.getConsumer().getProcessor().process(fired);

        assertThat(fired.getException()).isNull();
        assertThat(inbox(recipient)).extracting(DigestMailTestBase::subject)
                .containsExactly(DigestKind.BILLING_RECONCILIATION.subject());
    }

    @Test
    void digestRoutesExistWithDescriptions() {
        for (String id : new String[] {"notification-digests-timer", "notification-digests", "notification-digest-send"}) {
            RouteDefinition definition = ((ModelCamelContext) camel).getRouteDefinition(id);
            assertThat(definition).as(id).isNotNull();
            assertThat(definition.getDescriptionText()).as(id).isNotBlank();
        }
    }

    @Test
    void smtpCredentialsLiveOnTheComponentAndNeverInAnEndpointUri() {
        MailComponent smtp = camel.getComponent("smtp", MailComponent.class);
        assertThat(smtp.getConfiguration().getUsername()).isEqualTo("digest-sender");
        assertThat(smtp.getConfiguration().getPassword()).isEqualTo("S3cret-Mail-Pass");
        for (Endpoint endpoint : camel.getEndpoints()) {
            assertThat(endpoint.getEndpointUri()).doesNotContain("S3cret-Mail-Pass");
        }
        assertThat(new MailProperties("h", 25, "smtp", false, "u", "S3cret-Mail-Pass", "f@x.example").toString())
                .doesNotContain("S3cret-Mail-Pass");
    }

    /** The route's own steps; the shared routeConfiguration adds its onException to every route. */
    private static java.util.List<org.apache.camel.model.ProcessorDefinition<?>> steps(RouteDefinition route) {
        return route.getOutputs().stream().filter(o -> !(o instanceof org.apache.camel.model.OnExceptionDefinition)).toList();
    }

    @Test
    void anOperatorSendsTodaysDigestsNowAndOnlyOnce() throws Exception {
        String partner = partner("now");
        String recipient = "billing@" + domain(partner);
        notifications(partner, true, true, true, recipient);
        task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "FAILED", "ConnectWise: 400");
        org.springframework.web.client.RestClient http = org.springframework.web.client.RestClient.create("http://localhost:" + port);

        com.fasterxml.jackson.databind.JsonNode run = mapper.readTree(http.post().uri("/api/v1/notifications/digests")
                .retrieve().body(String.class));

        java.util.List<String> ours = new java.util.ArrayList<>();
        run.forEach(d -> { if (partner.equals(d.path("partnerId").asText())) ours.add(d.path("digest").asText() + " "
                + d.path("day").asText() + " " + d.path("rows").asInt() + " " + d.path("status").asText()); });
        assertThat(ours).containsExactly("SERVICE_MAPPING 2026-03-10 1 SENT");
        assertThat(inbox(recipient)).extracting(DigestMailTestBase::subject).containsExactly(DigestKind.SERVICE_MAPPING.subject());
        assertThat(http.post().uri("/api/v1/notifications/digests").retrieve().body(String.class)).doesNotContain(partner);
        assertThat(inbox(recipient)).hasSize(1);
    }
}
