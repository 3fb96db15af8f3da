package io.cwbridge.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.ProdBundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * R35 in the {@code prod} profile (login required, CSRF tokens for browser sessions): an approve link
 * opens and its button works without a login or a CSRF token (the signed single-use link is the
 * credential), while the API next to it still asks for a login.
 */
class ApprovalLinkProdTest {

    @RegisterExtension
    static final ProdBundle prod = new ProdBundle("cwbridge-prod-approval",
            "--cwbridge.notifications.approval-link-key=" + ProdBundle.randomKey(),
            "--cwbridge.console.password=prod approval test password");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aLinkOpensAndItsButtonWorksWithoutLoginOrCsrfTokenButOnlyOnce() throws Exception {
        prod.context().getBean(PartnerConnectionRepository.class).save("prod-p", new ConnectWiseConnection("https://cw.example",
                "v4_6_release", "msp", "pub", "priv", "client"));
        ApprovalLinks links = prod.context().getBean(ApprovalLinks.class);
        var now = prod.context().getBean(Clock.class).instant();
        // A link for a task that does not wait (any more): the page says so, nothing to approve.
        String link = links.issue("prod-p", ApprovalLinks.Scope.TASK, List.of(999_999L), now, links.expiry(now)).orElseThrow();
        String path = URI.create(link).getPath();

        HttpResponse<String> shown = http.send(HttpRequest.newBuilder(URI.create(prod.site() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(shown.body()).contains("there is nothing left to approve");

        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(prod.site() + path)).header("Origin", prod.site())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(posted.body()).contains("Nothing to approve");

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(prod.site() + path)).header("Origin", prod.site())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(410);

        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/api/v1/partners/prod-p/notifications"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
    }
}
