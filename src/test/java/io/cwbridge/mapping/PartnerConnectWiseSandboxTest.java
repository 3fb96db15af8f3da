package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/**
 * R1 / R2 create-or-map of a company or catalog item by identifier, against the sandbox, which reads string conditions
 * as the ConnectWise Developer Guide says ({@code *} a wildcard, {@code [} written {@code [[]}, no backslash escapes).
 * A catalog identifier is the product's mfg part number, so it can hold any of these.
 */
class PartnerConnectWiseSandboxTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectWise connectWise;
    @Autowired ConnectWiseClient client;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
    }

    private static Map<String, Object> item(String identifier) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", identifier);
        body.put("description", "Plan " + identifier);
        body.put("customerDescription", "Plan " + identifier);
        body.put("subcategory", Map.of("name", "Cloud"));
        body.put("type", Map.of("name", "Subscription"));
        return body;
    }

    private PartnerConnectWise.Outcome findOrCreate(String identifier) {
        return connectWise.findOrCreate(cw, "procurement/catalog", identifier, item(identifier), "catalog item",
                CatalogItem.class, CatalogItem::id);
    }

    @Test
    @DisplayName("R2: a catalog item whose identifier holds [ * \\ is found again, not created twice")
    void r2AnIdentifierWithBracketsStarsAndBackslashesIsFoundAgain() {
        String identifier = "CFQ7[NCE]*0001\\P1";
        PartnerConnectWise.Outcome first = findOrCreate(identifier);
        PartnerConnectWise.Outcome again = findOrCreate(identifier);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(client.getAll(cw, "procurement/catalog", null)).hasSize(1);
    }

    @Test
    @DisplayName("R2: an identifier that is another's prefix up to a * is its own item (the * matches on the server only)")
    void r2AStarDoesNotMapAnotherItem() {
        long other = findOrCreate("AZ-0001").id();

        PartnerConnectWise.Outcome own = findOrCreate("AZ-*");

        assertThat(own.created()).isTrue();
        assertThat(own.id()).isNotEqualTo(other);
    }

    @Test
    @DisplayName("R1: a company created before its answer was lost is mapped, not created again")
    void r1ACompanyThatLandedBeforeA500IsMapped() {
        sandbox.fault(Map.of("status", 500, "count", 1, "method", "POST", "pathContains", "company/companies", "afterCommit", true));
        sandbox.resetCalls();

        PartnerConnectWise.Outcome company = connectWise.findOrCreate(cw, "company/companies", "Contoso[EU]",
                Map.of("identifier", "Contoso[EU]", "name", "Contoso [EU]"), "company", Company.class, Company::id);

        assertThat(company.id()).isPositive();
        assertThat(client.getAll(cw, "company/companies", null)).singleElement()
                .satisfies(c -> assertThat(c.path("id").asLong()).isEqualTo(company.id()));
        assertThat(sandbox.calls("POST /company/companies")).isEqualTo(1);
    }
}
