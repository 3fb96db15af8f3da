package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * R35 approval by mail with real parts: task sync MANUAL, events over HTTP wait AWAITING_APPROVAL, the
 * digest arrives by SMTP (GreenMail), its links are parsed from the mail and followed over real HTTP
 * (GET shows, POST approves), and the sandbox's additions show what was sent. A link works once,
 * not after it expired (the bundle's clock moved), and not with a changed signature.
 */
class ApprovalByMailTest extends DigestMailTestBase {

    static final String PRODUCT_ID = "CFQ7TTC0LCHC:0002";
    static final Pattern LINK = Pattern.compile("<a href=\"([^\"]+)\">([^<]+)</a>");

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    RestClient http;
    Tenant tenant;
    String partner;
    String recipient;
    long agreement;

    @BeforeEach
    void manualPartnerWithNotifications() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        tenant = Tenant.connected("mail", port);
        partner = tenant.partner();
        recipient = "billing@" + domain(partner);
        http = tenant.bundle();
        long catalogItem = tenant.catalogItem("M365-BP", "M365 BP", "Cloud", Map.of("price", 20, "cost", 15));
        long company = tenant.company("Chairs", "Chairs Unlimited");
        agreement = tenant.agreement(company, "Chairs cloud", Tenant.Terms.MONTHLY_USD.startingOn("2026-01-01"));
        tenant.mapCustomer(Tenant.CUSTOMER, company);
        tenant.mapProduct(PRODUCT_ID, catalogItem);
        assertThat(put("/api/v1/partners/" + partner + "/sync-rules", Map.of("taskSync", "MANUAL")).getStatusCode().value())
                .isEqualTo(200);
        ResponseEntity<String> saved = put("/api/v1/partners/" + partner + "/notifications", Map.of("enabled", true,
                "recipients", List.of(recipient), "accountName", "Chairs MSP <Inc>"));
        assertThat(saved.getStatusCode().value()).as(saved.getBody()).isEqualTo(200);
    }

    @Test
    void theDigestsLinksApproveOnceNotAfterTheyExpireAndNotWithAChangedSignature() throws Exception {
        // The event API refuses markup in names; quotes and ampersands pass and must be escaped.
        long a = submit(event("sub-a", "Dunco & \"Sons\"", 5));
        long b = submit(event("sub-b", "Chairs Unlimited", 3));
        awaitStatus(a, "AWAITING_APPROVAL");
        awaitStatus(b, "AWAITING_APPROVAL");
        assertThat(additions()).isEmpty();

        runDigests();

        String html = body(approvalMail());
        assertThat(html).contains("Hello Chairs MSP &lt;Inc&gt;,")
                .contains("<h3>Task " + a + ": subscription sub-a of Dunco &amp; &quot;Sons&quot; (SALES_ORDER NEW of 2026-03-09)</h3>")
                .doesNotContain("<Inc>")
                .contains("<th align=\"left\">Before</th><th align=\"left\">After</th>")
                .containsPattern("<td>CREATE \\([^<]+\\)</td><td>[^<]+</td><td>quantity</td><td>-</td><td>5</td>")
                .containsPattern("<td>CREATE \\([^<]+\\)</td><td>[^<]+</td><td>unitPrice</td><td>-</td><td>22.00</td>")
                .containsPattern("<td>CREATE \\([^<]+\\)</td><td>[^<]+</td><td>quantity</td><td>-</td><td>3</td>");
        Map<String, String> links = links(html);
        assertThat(links).containsOnlyKeys("Approve task " + a, "Approve task " + b, "Approve all listed tasks (2)");
        String linkA = links.get("Approve task " + a);
        String linkB = links.get("Approve task " + b);
        String linkAll = links.get("Approve all listed tasks (2)");
        assertThat(linkA).startsWith("http://localhost:" + port + "/mail/approvals/");

        // GET (what a mail scanner does too) only shows the confirmation page.
        ResponseEntity<String> shown = get(linkA);
        assertThat(shown.getStatusCode().value()).isEqualTo(200);
        assertThat(shown.getHeaders().getContentType().toString()).startsWith("text/html");
        assertThat(shown.getBody()).contains("Approve task " + a + " in ConnectWise?").contains("<form method=\"post\"")
                .contains("<button type=\"submit\">Approve 1 task</button>").contains("<td>AWAITING_APPROVAL</td>");
        assertThat(get(linkA).getStatusCode().value()).isEqualTo(200);
        assertThat(status(a)).isEqualTo("AWAITING_APPROVAL");
        assertThat(additions()).isEmpty();

        // A page of another site cannot post it (the origin check); nothing happens.
        assertThat(post(linkA, "http://evil.example").getStatusCode().value()).isEqualTo(403);
        assertThat(status(a)).isEqualTo("AWAITING_APPROVAL");

        // The button: a same-origin POST approves exactly as the console does, and the sandbox has the addition.
        ResponseEntity<String> approved = post(linkA, "http://localhost:" + port);
        assertThat(approved.getStatusCode().value()).as(approved.getBody()).isEqualTo(200);
        assertThat(approved.getBody()).contains("Approved task(s) [" + a + "]").contains("<td>" + a + "</td>")
                .contains("<td>SYNCED</td>");
        assertThat(status(a)).isEqualTo("SYNCED");
        assertThat(additions()).singleElement().satisfies(ad -> assertThat(ad.path("quantity").asInt()).isEqualTo(5));
        assertThat(jdbc.queryForObject("SELECT actor FROM task_history WHERE task_id = ? AND from_status = 'AWAITING_APPROVAL'",
                String.class, a)).startsWith("mail link ");
        assertThat(status(b)).isEqualTo("AWAITING_APPROVAL");

        // Second use: refused, says so, nothing sent.
        ResponseEntity<String> again = post(linkA, "http://localhost:" + port);
        assertThat(again.getStatusCode().value()).isEqualTo(410);
        assertThat(again.getBody()).contains("This approval link was already used").doesNotContain("<form");
        assertThat(get(linkA).getStatusCode().value()).isEqualTo(410);
        assertThat(additions()).hasSize(1);

        // A changed signature (or id): refused, nothing approved.
        String tampered = linkAll.substring(0, linkAll.length() - 2) + (linkAll.endsWith("AA") ? "BB" : "AA");
        // The last character's lowest bit alone: base64 decoders ignore it (padding bits), the check must not.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = linkAll.charAt(linkAll.length() - 1);
        String lastBit = linkAll.substring(0, linkAll.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(java.util.Base64.getUrlDecoder().decode(lastBit.substring(lastBit.lastIndexOf('.') + 1)))
                .isEqualTo(java.util.Base64.getUrlDecoder().decode(linkAll.substring(linkAll.lastIndexOf('.') + 1)));
        for (ResponseEntity<String> refused : List.of(get(tampered), post(tampered, "http://localhost:" + port), get(lastBit),
                post(linkAll.replace("/approvals/", "/approvals/x"), "http://localhost:" + port))) {
            assertThat(refused.getStatusCode().value()).isEqualTo(404);
            assertThat(refused.getBody()).contains("This approval link is not valid");
        }
        assertThat(status(b)).isEqualTo("AWAITING_APPROVAL");

        // 72 hours later (the bundle's clock): expired, nothing approved.
        clock.setInstant(NOW.plusSeconds(72 * 3600 + 60).toString());
        for (ResponseEntity<String> expired : List.of(get(linkB), post(linkB, "http://localhost:" + port))) {
            assertThat(expired.getStatusCode().value()).isEqualTo(410);
            assertThat(expired.getBody()).contains("This approval link has expired").doesNotContain("<form");
        }
        assertThat(status(b)).isEqualTo("AWAITING_APPROVAL");
        assertThat(additions()).hasSize(1);

        // Within its time the "approve all listed" link approves what still waits of the listed tasks.
        clock.setInstant(NOW.plusSeconds(3600).toString());
        ResponseEntity<String> all = post(linkAll, null);
        assertThat(all.getStatusCode().value()).as(all.getBody()).isEqualTo(200);
        assertThat(all.getBody()).contains("Approved task(s) [" + b + "]");
        assertThat(status(b)).isEqualTo("SYNCED");
        assertThat(additions()).hasSize(2).anySatisfy(ad -> assertThat(ad.path("quantity").asInt()).isEqualTo(3));
        assertThat(post(linkAll, null).getStatusCode().value()).isEqualTo(410);
    }

    @Test
    void noWaitingTaskNoApprovalMail() throws Exception {
        runDigests();
        assertThat(inbox(recipient)).extracting(DigestMailTestBase::subject).doesNotContain(DigestKind.TASK_APPROVAL.subject());
    }

    /** A sale of {@code quantity} licences on 9 March 2026 of subscription {@code subscriptionId}, the customer named {@code customer}. */
    private String event(String subscriptionId, String customer, int quantity) {
        return TestEvents.term(TestEvents.address(TestEvents.customer(TestEvents.event(partner, UUID.randomUUID().toString(),
                subscriptionId, "SALES_ORDER", "NEW", "2026-03-09T09:00:00Z", quantity, null), "65533", customer)),
                "2026-03-09", "2027-03-08", false).toString();
    }

    private long submit(String body) {
        return tenant.submit(body);
    }

    private void awaitStatus(long taskId, String expected) {
        tenant.awaitTask(taskId, expected);
    }

    private String status(long taskId) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, taskId);
    }

    private List<JsonNode> additions() {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
    }

    private MimeMessage approvalMail() {
        List<MimeMessage> mails = inbox(recipient).stream()
                .filter(m -> DigestKind.TASK_APPROVAL.subject().equals(subject(m))).toList();
        assertThat(mails).hasSize(1);
        return mails.get(0);
    }

    private static String body(MimeMessage message) throws Exception {
        assertThat(message.getContentType()).startsWith("text/html");
        return (String) message.getContent();
    }

    /** The mail's links by their text, with the HTML escaping of the attribute undone. */
    private static Map<String, String> links(String html) {
        Map<String, String> links = new java.util.LinkedHashMap<>();
        Matcher m = LINK.matcher(html);
        while (m.find()) links.put(m.group(2), m.group(1).replace("&amp;", "&"));
        return links;
    }

    private ResponseEntity<String> get(String url) {
        return http.get().uri(java.net.URI.create(url)).accept(MediaType.TEXT_HTML).retrieve().toEntity(String.class);
    }

    /** The form's POST as a browser sends it: from the page's origin ({@code Origin}), no body. */
    private ResponseEntity<String> post(String url, String origin) {
        RestClient.RequestBodySpec request = http.post().uri(java.net.URI.create(url))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.TEXT_HTML);
        if (origin != null) request.header("Origin", origin);
        return request.retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> put(String path, Object body) {
        return http.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }
}
