package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.mapping.ProductDefaultRule.Condition;
import io.cwbridge.mapping.ProductDefaultRule.Operator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** R3: product default rules, first match in priority order wins, else the default rule. */
class ProductDefaultRuleTest {

    static final Map<String, String> NCE = Map.of("provider", "Microsoft CSP", "itemType", "OnlineServicesNCE",
            "plan", "Microsoft 365 Business Premium", "mfgPartNumber", "CFQ7TTC0LCHC:0002:P1");

    static ProductDefaultRule rule(long id, int priority, String category, Condition... conditions) {
        return new ProductDefaultRule(id, "r" + id, priority, false, List.of(conditions), category, "sub", "type", null);
    }

    @Test
    void firstMatchingRuleInPriorityOrderWinsR3() {
        ProductDefaultRule later = rule(1, 50, "Any Microsoft", new Condition("provider", Operator.CONTAINS, "microsoft"));
        ProductDefaultRule first = rule(2, 10, "NCE", new Condition("publisher", Operator.EQUALS, "Microsoft CSP"),
                new Condition("itemType", Operator.EQUALS, "OnlineServicesNCE"));
        assertThat(ProductDefaultRule.choose(List.of(later, first), NCE)).isSameAs(first);
    }

    @Test
    void equalPrioritiesAreOrderedByRuleIdR3() {
        ProductDefaultRule a = rule(7, 10, "A");
        ProductDefaultRule b = rule(3, 10, "B");
        assertThat(ProductDefaultRule.choose(List.of(a, b), NCE)).isSameAs(b);
    }

    @Test
    void allConditionsMustHoldR3() {
        ProductDefaultRule half = rule(1, 10, "Half", new Condition("provider", Operator.EQUALS, "Microsoft CSP"),
                new Condition("itemType", Operator.EQUALS, "Legacy"));
        assertThat(ProductDefaultRule.choose(List.of(half), NCE)).isSameAs(ProductDefaultRule.BUILT_IN);
    }

    @Test
    void storedDefaultReplacesTheBuiltInWhenNothingMatchesR3() {
        ProductDefaultRule fallback = new ProductDefaultRule(9L, "Default", Integer.MAX_VALUE, true, List.of(),
                "Mine", "Mine", "Mine", "Service");
        ProductDefaultRule google = rule(1, 1, "G", new Condition("provider", Operator.EQUALS, "Google"));
        assertThat(ProductDefaultRule.choose(List.of(google, fallback), NCE)).isSameAs(fallback);
        assertThat(ProductDefaultRule.choose(List.of(), NCE)).isSameAs(ProductDefaultRule.BUILT_IN);
    }

    @Test
    void aDefaultRuleIsNeverChosenForItsConditionsR3() {
        ProductDefaultRule fallback = new ProductDefaultRule(9L, "Default", 0, true, List.of(), "D", "D", "D", null);
        ProductDefaultRule any = rule(1, 5, "Any");
        assertThat(ProductDefaultRule.choose(List.of(fallback, any), NCE)).isSameAs(any);
    }

    @ParameterizedTest(name = "{0} {1} \"{2}\" -> {3}")
    @CsvSource({
            "provider, EQUALS, microsoft csp, true",
            "provider, EQUALS, Microsoft, false",
            "publisher, EQUALS, ' Microsoft CSP ', true",
            "provider, NOT_EQUALS, Adobe, true",
            "provider, NOT_EQUALS, Microsoft CSP, false",
            "plan, CONTAINS, business, true",
            "plan, CONTAINS, E5, false",
            "mfgPartNumber, STARTS_WITH, CFQ7TTC0LCHC, true",
            "mfgPartNumber, STARTS_WITH, P1, false",
            "ITEMTYPE, EQUALS, onlineservicesnce, true",
            "missingField, EQUALS, x, false",
            "missingField, CONTAINS, '', false",
            "missingField, NOT_EQUALS, x, true",
    })
    void conditionsCompareTrimmedAndWithoutCaseR3(String field, Operator operator, String value, boolean holds) {
        assertThat(new Condition(field, operator, value).holds(NCE)).isEqualTo(holds);
    }
}
