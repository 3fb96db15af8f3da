package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API member's security role (SandboxSecurityRole) over real HTTP: a denied level answers 403 and changes nothing. */
class SandboxSecurityRoleTest extends SandboxHttpTestBase {

    @AfterEach
    void restore() {
        cw.admin("POST", "reset", null);
    }

    private void deny(String function, String level) {
        SandboxHttp.Answer set = cw.admin("PUT", "security-role", Map.of("denied", List.of(Map.of("function", function, "level", level))));
        assertThat(set.status()).isEqualTo(200);
    }

    @Test
    void aDeniedLevelIs403InConnectWisesShapeAndOthersStillWork() {
        long agreement = records.agreement();
        JsonNode addition = records.addition(agreement, "{\"product\":{\"id\":" + records.catalogItem("ROLE-1")
                + "},\"billCustomer\":\"Billable\",\"quantity\":3}");
        String item = SandboxTestSupport.additions(agreement) + "/" + addition.path("id").asInt();
        deny("Agreements", "Delete");

        SandboxHttp.Answer refused = cw.delete(item);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("Forbidden");
        assertThat(refused.json().path("message").asText()).isNotBlank();
        assertThat(cw.get(item).status()).as("still there, and Inquire still allowed").isEqualTo(200);
        assertThat(cw.patch(item, List.of(Map.of("op", "replace", "path", "quantity", "value", 4))).status()).isEqualTo(200);
        assertThat(cw.get("system/info").status()).as("no role guards system/info").isEqualTo(200);
        // The role is checked before the record is looked up: a missing record is 403 too, not 404.
        assertThat(cw.delete(SandboxTestSupport.additions(agreement) + "/999999").status()).isEqualTo(403);
        assertThat(cw.admin("GET", "security-role", null).json().path("denied").get(0).path("function").asText())
                .isEqualTo("Agreements");
    }

    @Test
    void contactsAndAgreementTypesAreReadOnlyResourcesGuardedByTheirFunctions() {
        assertThat(cw.get("company/contacts/count").json().path("count").asInt()).isZero();
        assertThat(cw.get("finance/agreements/types/count").status()).isEqualTo(200);
        assertThat(cw.get("finance/agreements/types").json().isArray()).isTrue();
        assertThat(cw.post("company/contacts", Map.of("firstName", "A")).json().path("message").asText())
                .isEqualTo("The endpoint does not exist.");

        deny("Table Setup", "Inquire");
        assertThat(cw.get("finance/agreements/types/count").status()).isEqualTo(403);
        assertThat(cw.get("company/contacts/count").status()).isEqualTo(200);
        deny("Contacts", "Inquire");
        assertThat(cw.get("company/contacts/count").status()).isEqualTo(403);
        assertThat(cw.get("finance/agreements/types/count").status()).as("the role was replaced, not added to").isEqualTo(200);
    }

    @Test
    void aBadRoleIsRefusedInConnectWisesShape() {
        SandboxHttp.Answer bad = cw.admin("PUT", "security-role", Map.of("denied", List.of(Map.of("function", "Payroll", "level", "Add"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("Company Maintenance");
    }
}
