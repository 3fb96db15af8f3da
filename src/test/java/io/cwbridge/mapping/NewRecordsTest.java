package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.syncrules.PartnerSyncRules;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identifiers and bodies of the companies and catalog items the mapping API creates. */
class NewRecordsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    @Test
    void companyIdentifierIsTheNameWithoutNonAlphanumericsCutTo25() throws Exception {
        assertThat(NewRecords.companyIdentifier(json("{\"id\":\"1\",\"name\":\"Chairs Unlimited\"}"))).isEqualTo("ChairsUnlimited");
        assertThat(NewRecords.companyIdentifier(json("{\"id\":\"1\",\"name\":\"Ünïcode & Co. — a very long company name\"}")))
                .isEqualTo("ncodeCoaverylongcompanyna").hasSize(25);
        assertThat(NewRecords.companyIdentifier(json("{\"id\":\"65-533\",\"name\":\"株式会社\"}"))).isEqualTo("Customer65533");
    }

    @Test
    void catalogIdentifierIsTheMfgPartNumberElseTheProductIdCutTo25() throws Exception {
        assertThat(NewRecords.catalogIdentifier(json("{\"id\":\"P:1\",\"mfgPartNumber\":\"CFQ7TTC0LCHC:0002:P1\"}")))
                .isEqualTo("CFQ7TTC0LCHC:0002:P1");
        assertThat(NewRecords.catalogIdentifier(json("{\"id\":\"DZH318Z0BPS6:0001:SOME-LONG-SUFFIX\"}")))
                .isEqualTo("DZH318Z0BPS6:0001:SOME-LO");
    }

    @Test
    void catalogItemWithoutPlanIsDescribedByNameAndLongTextIsCut() throws Exception {
        EventSnapshots.ProductSnapshot snapshot = new EventSnapshots.ProductSnapshot(
                json("{\"id\":\"X\",\"provider\":\"Sophos\",\"name\":\"" + "N".repeat(80) + "\"}"),
                json("9.99"), mapper.missingNode());

        Map<String, Object> body = NewRecords.catalogItem(snapshot, PartnerSyncRules.defaults());

        assertThat((String) body.get("description")).hasSize(60);
        assertThat((String) body.get("customerDescription")).hasSize(80);
        assertThat(body).containsEntry("manufacturer", Map.of("name", "Sophos")).containsKey("price").doesNotContainKey("cost")
                .doesNotContainKey("manufacturerPartNumber");
    }
}
