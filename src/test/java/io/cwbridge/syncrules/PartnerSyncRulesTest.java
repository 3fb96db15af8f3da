package io.cwbridge.syncrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.rules.SyncRules;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules' JSON form and its tolerance of stored documents written by other versions. */
class PartnerSyncRulesTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final SyncRulesRepository repository = new SyncRulesRepository(null, mapper, null);

    @Test
    void everyRuleOfTheRecordIsCheckedByName() {
        List<String> components = Arrays.stream(PartnerSyncRules.class.getRecordComponents()).map(c -> c.getName()).toList();
        assertThat(SyncRulesJson.names()).containsExactlyElementsOf(components);
    }

    @Test
    void defaultsAgreeWithTheAdditionRulesDefaults() {
        PartnerSyncRules defaults = PartnerSyncRules.defaults();

        assertThat(defaults.additionRules()).isEqualTo(SyncRules.defaults());
        assertThat(defaults.automaticSync()).isFalse();
        assertThat(defaults.syncPeriod()).isEqualTo(SyncPeriod.DAILY);
        assertThat(defaults.companyFields()).containsExactly(CompanyField.values());
        assertThat(defaults.productFields()).containsExactly(ProductField.values());
    }

    @Test
    void storedDocumentWithUnknownOrMissingRulesFallsBackToTheDefaultsForThose() {
        PartnerSyncRules rules = repository.parse("p", """
                {"positiveChange":"FIRST_OF_CURRENT_MONTH","priceSource":"RETIRED_OPTION","legacyRule":1,
                 "productFields":["price","cost"]}
                """);

        assertThat(rules.positiveChange()).isEqualTo(SyncRules.PositiveChange.FIRST_OF_CURRENT_MONTH);
        assertThat(rules.priceSource()).isEqualTo(SyncRules.PriceSource.MARKETPLACE);
        assertThat(rules.productFields()).containsExactly(ProductField.PRICE, ProductField.COST);
        assertThat(rules.companyFields()).containsExactly(CompanyField.values());
        assertThat(repository.parse("p", null)).isEqualTo(PartnerSyncRules.defaults());
        assertThat(repository.parse("p", "not json")).isEqualTo(PartnerSyncRules.defaults());
    }

    @Test
    void fieldListsAreWrittenInTheirFixedOrder() throws Exception {
        PartnerSyncRules rules = new PartnerSyncRules(SyncRules.PositiveChange.ACTUAL_DATE, SyncRules.NegativeChange.ACTUAL_DATE,
                SyncRules.Cancellation.LAST_DAY_OF_MONTH, SyncRules.PriceSource.MARKETPLACE, true, true,
                SyncRules.InvoiceValues.COST_ONLY, SyncRules.InvoiceValues.PRICE_AND_COST, false, true,
                List.of(CompanyField.COUNTRY, CompanyField.NAME), List.of(ProductField.MFG_PART_NUMBER, ProductField.MANUFACTURER),
                true, SyncPeriod.EVERY_5_MINUTES);

        String json = mapper.writeValueAsString(rules);

        assertThat(json).contains("\"companyFields\":[\"name\",\"country\"]")
                .contains("\"productFields\":[\"manufacturer\",\"mfgPartNumber\"]");
        assertThat(mapper.readValue(json, PartnerSyncRules.class)).isEqualTo(rules);
    }
}
