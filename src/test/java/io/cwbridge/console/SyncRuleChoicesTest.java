package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.SyncRules;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import io.cwbridge.syncrules.TaskSync;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sync rules screen names every SPEC §4 rule of the API and offers exactly the API's choices, each explained. */
class SyncRuleChoicesTest {

    @Test
    void everyRuleOfTheApiIsOnTheScreenTheLegacyPeriodAside() {
        List<String> api = Arrays.stream(PartnerSyncRules.class.getRecordComponents()).map(c -> c.getName())
                .filter(n -> !n.equals("syncPeriod")).toList();
        assertThat(SyncRuleChoices.RULES).extracting(SyncRuleChoices.Rule::name).containsExactlyInAnyOrderElementsOf(api);
    }

    @Test
    void theChoicesAreTheEnumsOfTheRulesAndEachIsExplained() {
        Map<String, List<String>> expected = Map.ofEntries(
                Map.entry("positiveChange", names(SyncRules.PositiveChange.values())),
                Map.entry("negativeChange", names(SyncRules.NegativeChange.values())),
                Map.entry("cancellation", names(SyncRules.Cancellation.values())),
                Map.entry("priceSource", names(SyncRules.PriceSource.values())),
                Map.entry("saasInvoiceValues", names(SyncRules.InvoiceValues.values())),
                Map.entry("iaasInvoiceValues", names(SyncRules.InvoiceValues.values())),
                Map.entry("proration", names(SyncRules.ProrationRule.values())),
                Map.entry("invoicedCatchUp", names(SyncRules.InvoicedCatchUp.values())),
                Map.entry("taskSync", names(TaskSync.values())),
                Map.entry("companyFields", Arrays.stream(CompanyField.values()).map(CompanyField::json).toList()),
                Map.entry("productFields", Arrays.stream(ProductField.values()).map(ProductField::json).toList()));
        for (SyncRuleChoices.Rule rule : SyncRuleChoices.RULES) {
            List<String> offered = rule.choices().stream().map(SyncRuleChoices.Choice::value).toList();
            assertThat(offered).as(rule.name()).containsExactlyElementsOf(
                    rule.kind() == SyncRuleChoices.Kind.FLAG ? List.of("true", "false") : expected.get(rule.name()));
            assertThat(rule.choices()).as(rule.name()).allSatisfy(c -> assertThat(c.explanation()).hasSizeGreaterThan(20));
        }
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
