package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.AdditionDelivery.DeliveryResult;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/**
 * R16 / SPEC 4 "safe to repeat": the look-up before a create is repeated finds the line the first attempt left, whatever
 * its description holds. In a ConnectWise string condition {@code *} is a wildcard and {@code [} must be written
 * {@code [[]} (Developer Guide "PSA API Requests", Conditions and Escaping Characters; the sandbox follows it), and a
 * backslash is no escape: {@code description="…"} missed such a line and the line was POSTed, and billed, twice.
 */
class AdditionIdentitySandboxTest extends BundleTestBase {

    private static final String POSTS = "POST /finance/agreements/{parentId}/additions";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ProducerTemplate producer;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    long agreement;
    long product;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        connections.save("identity-partner", cw);
        io.cwbridge.testsupport.ContosoAgreement contoso = io.cwbridge.testsupport.ContosoAgreement.create(client, cw, "CFQ7TTC0LH18", "M365 BP");
        product = contoso.product();
        agreement = contoso.agreement();
    }

    private AdditionFields line(String description) {
        return new AdditionFields(product, new BigDecimal("5"), new BigDecimal("22.00"), new BigDecimal("18.70"),
                LocalDate.of(2024, 3, 15), null, false, description, null, null);
    }

    private DeliveryResult deliver(AdditionOperation operation, boolean verifyFirst) {
        return producer.requestBodyAndHeaders("direct:connectwise-deliver", operation,
                Map.of("partnerId", "identity-partner", "CwVerifyFirst", verifyFirst), DeliveryResult.class);
    }

    private List<JsonNode> additions() {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
    }

    @Test
    @DisplayName("R16: a create whose answer was lost after it landed is found by its [ * \\ description, not posted again")
    void r16ACreateThatLandedBeforeA500IsFoundWhateverItsDescriptionHolds() {
        String description = "Microsoft 365 Business Premium [NCE] * 5 licences | C:\\Contoso\\licences | Subscription sub-[7]";
        sandbox.fault(Map.of("status", 500, "count", 1, "method", "POST", "pathContains", "additions", "afterCommit", true));
        sandbox.resetCalls();

        DeliveryResult created = deliver(AdditionOperation.create(agreement, line(description)), false);

        assertThat(additions()).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(created.additionId());
            assertThat(a.path("description").asText()).isEqualTo(description);
        });
        assertThat(sandbox.calls(POSTS)).isEqualTo(1);
    }

    @Test
    @DisplayName("R16: a create started but not recorded is found on its resumption by its [ * \\ description")
    void r16AResumedCreateFindsTheLineItsFirstAttemptLeft() {
        String description = "M365 [NCE] * | a\\b | Subscription sub-8";
        long first = deliver(AdditionOperation.create(agreement, line(description)), false).additionId();
        sandbox.resetCalls();

        DeliveryResult again = deliver(AdditionOperation.create(agreement, line(description)), true);

        assertThat(again.additionId()).isEqualTo(first);
        assertThat(additions()).hasSize(1);
        assertThat(sandbox.calls(POSTS)).isZero();
    }

    @Test
    @DisplayName("R16: another subscription's line of the same product, units and day is not taken for the one to create")
    void r16AnotherSubscriptionsLineIsNotTakenForTheOneToCreate() {
        // A " cannot be written in a condition and a * matches anything: the description is compared exactly here.
        deliver(AdditionOperation.create(agreement, line("M365 \"E3\" * | Subscription sub-1")), false);
        sandbox.resetCalls();

        DeliveryResult created = deliver(AdditionOperation.create(agreement, line("M365 \"E3\" * | Subscription sub-2")), true);

        assertThat(additions()).extracting(a -> a.path("description").asText())
                .containsExactlyInAnyOrder("M365 \"E3\" * | Subscription sub-1", "M365 \"E3\" * | Subscription sub-2");
        assertThat(created.addition().path("description").asText()).isEqualTo("M365 \"E3\" * | Subscription sub-2");
        assertThat(sandbox.calls(POSTS)).isEqualTo(1);
    }
}
