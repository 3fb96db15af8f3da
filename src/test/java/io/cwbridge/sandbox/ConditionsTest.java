package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionsTest {

    private static final JsonNode ADDITION = SandboxJson.parse("""
            {"id": 12, "product": {"id": 5, "identifier": "AZ-365", "_info": {"ivItem_href": "procurement/catalog/5"}},
             "quantity": 10, "unitPrice": 22.00, "unitCost": 18.70, "billCustomer": "Billable",
             "effectiveDate": "2024-02-14T00:00:00Z", "taxableFlag": false, "description": "M365 Business Premium sub-1",
             "agreementStatus": "Active", "_info": {"lastUpdated": "2024-03-01T10:00:00Z"}}""");

    private static boolean matches(String conditions) {
        return Conditions.parse(conditions).test(ADDITION);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "quantity = 10 | true",
            "quantity = 10.000 | true",
            "quantity = 11 | false",
            "quantity != 11 | true",
            "quantity != 10 | false",
            "quantity < 11 | true",
            "quantity < 10 | false",
            "quantity <= 10 | true",
            "quantity <= 9.99 | false",
            "quantity > 9.5 | true",
            "quantity > 10 | false",
            "quantity >= 10 | true",
            "quantity >= 10.01 | false",
            "unitPrice = 22 | true",
            "unitCost < 18.71 | true",
            "quantity <> 10 | false",
            "id = -1 | false"})
    void comparesNumbersExactly(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "billCustomer = \"Billable\" | true",
            "billCustomer = \"billable\" | true",
            "billCustomer != \"DoNotBill\" | true",
            "billCustomer < \"C\" | true",
            "description contains \"business\" | true",
            "description contains \"Enterprise\" | false",
            "description like \"M365*\" | true",
            "description like \"*sub-1\" | true",
            "description like \"m365*premium*\" | true",
            "description like \"M365\" | false",
            "description like \"%Premium%\" | true",
            "description like \"*Premium\" | false",
            "description not like \"M365*\" | false",
            "description not contains \"Enterprise\" | true",
            "description = \"with quotes\" | false"})
    void comparesTextCaseInsensitively(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "effectiveDate = [2024-02-14T00:00:00Z] | true",
            "effectiveDate = [2024-02-14] | true",
            "effectiveDate < [2024-02-15T00:00:00Z] | true",
            "effectiveDate > [2024-02-14T00:00:00Z] | false",
            "effectiveDate >= [2024-02-14T00:00:00Z] | true",
            "effectiveDate = [2024-02-14T01:00:00+01:00] | true",
            "_info/lastUpdated > [2024-02-29T23:59:59Z] | true",
            "cancelledDate < [2030-01-01] | false",
            "cancelledDate = null | true",
            "cancelledDate != null | false",
            "effectiveDate != null | true"})
    void comparesDatesAndNulls(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "product/id = 5 | true",
            "product/identifier = \"AZ-365\" | true",
            "product/identifier = \"az-365\" | true",
            "/product/id = 5 | true",
            "product/name = \"x\" | false",
            "company/id = 5 | false",
            "taxableFlag = false | true",
            "taxableFlag = true | false",
            "taxableFlag != true | true",
            "id in (1, 12, 13) | true",
            "id in (1, 2) | false",
            "id not in (1, 2) | true",
            "billCustomer in (\"DoNotBill\", \"billable\") | true",
            "product/identifier in (\"AZ-365\") | true"})
    void followsPathsAndMatchesLists(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // and binds tighter than or
            "quantity = 1 and id = 12 or id = 12 | true",
            "id = 12 or quantity = 1 and id = 1 | true",
            "quantity = 1 and (id = 12 or id = 12) | false",
            "(quantity = 1 or quantity = 10) and id = 12 | true",
            "(quantity = 1 or quantity = 10) and id = 13 | false",
            "not quantity = 10 | false",
            "not (quantity = 1 or id = 13) | true",
            "not not id = 12 | true",
            "((id = 12)) | true",
            "quantity = 10 AND id = 12 | true",
            "quantity = 1 OR id = 12 | true",
            "id=12and quantity=10 | true"})
    void combinesWithAndOrNotAndParentheses(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    @Test
    void reportsEveryFieldPathItReads() {
        List<String> paths = new ArrayList<>();
        Conditions.parse("product/id = 5 and (quantity > 1 or not description like \"x*\") and id in (1,2)").paths(paths::add);
        assertThat(paths).containsExactly("product/id", "quantity", "description", "id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "quantity", "quantity =", "quantity = = 1", "= 5", "quantity 5", "(quantity = 5", "quantity = 5)",
            "quantity = 5 and", "quantity = 5 or or id = 1", "name = \"unterminated", "effectiveDate = [2024-02-14",
            "effectiveDate = [not a date]", "id in 1, 2", "id in (1, 2", "id in ()", "quantity ! 5", "quantity = 1.2.3",
            "quantity < null", "taxableFlag > true", "name like null", "and = 5", "quantity = 5 id = 6", "name = 'x'",
            "quantity not = 5"})
    void refusesMalformedConditionsWithAReason(String conditions) {
        assertThatThrownBy(() -> Conditions.parse(conditions))
                .isInstanceOf(ConditionsException.class)
                .hasMessageFindingMatch(".+");
    }

    @Test
    void errorMessagesSayWhere() {
        assertThatThrownBy(() -> Conditions.parse("quantity = 5 and ( id = "))
                .hasMessageContaining("expected a value").hasMessageContaining("position 25");
        assertThatThrownBy(() -> Conditions.parse("quantity = 5)"))
                .hasMessageContaining("unexpected ')' at position 13");
    }

    private static final JsonNode BRACKETED = SandboxJson.parse("""
            {"description": "M365 [NCE] * 2 / a\\\\b / Subscription sub-1"}""");

    private static boolean bracketed(String conditions) {
        return Conditions.parse(conditions).test(BRACKETED);
    }

    /** Developer Guide "PSA API Requests", Conditions: a string after = "Accepts * for wildcards". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "description = \"M365*\" | true",
            "description = \"*sub-1\" | true",
            "description = \"m365*premium*\" | true",
            "description = \"M365\" | false",
            "description = \"*Premium\" | false",
            "description != \"M365*\" | false",
            "description != \"*Enterprise*\" | true",
            "description = \"M365 Business Premium sub-1\" | true",
            "description = \"%Premium%\" | false",
            "description like \"%Premium%\" | true"})
    void r16AStarInAStringIsAWildcardAfterEqualsToo(String conditions, boolean expected) {
        assertThat(matches(conditions)).isEqualTo(expected);
    }

    /**
     * Developer Guide "PSA API Requests", Escaping Characters: [string] is written [[]string]; a bare [ opens a
     * one-character group (assumption: SQL Server LIKE), so a description holding [ does not match itself as written.
     * A backslash is no escape in a condition.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "description = \"M365 [[]NCE] * 2 / a\\b / Subscription sub-1\" | true",
            "description = \"M365 [NCE] * 2 / a\\b / Subscription sub-1\" | false",
            "description = \"M365 [[]NCE] * 2 / a\\\\b / Subscription sub-1\" | false",
            "description = \"M365 [[]NCE] [*] 2*\" | true",
            "description = \"M365 [[]^NCE] *\" | false",
            "description = \"M365 [[]N-P]*\" | false",
            "description = \"M365 [[][M-O]CE]*\" | true",
            "description = \"M365 [[][^M-O]CE]*\" | false",
            "description contains \"[[]NCE]\" | true",
            "description contains \"[NCE]\" | true",
            "description contains \"[XYZ]\" | false",
            "description contains \"a\\b\" | true",
            "description like \"*[[]NCE]*\" | true",
            "description in (\"M365 [NCE] * 2 / a\\b / Subscription sub-1\") | true"})
    void r16BracketsFollowTheGuideAndBackslashIsLiteral(String conditions, boolean expected) {
        assertThat(bracketed(conditions)).isEqualTo(expected);
    }

    @Test
    void aQuoteCannotBeWrittenInsideAString() {
        assertThatThrownBy(() -> Conditions.parse("description = \"with \\\"quotes\\\"\""))
                .isInstanceOf(ConditionsException.class);
        assertThatThrownBy(() -> Conditions.parse("description = \"[z-a]\""))
                .isInstanceOf(ConditionsException.class).hasMessageContaining("invalid pattern");
    }

    @Test
    void likeTreatsRegexCharactersLiterally() {
        JsonNode doc = SandboxJson.parse("{\"name\": \"a.b (c)+\"}");
        assertThat(Conditions.parse("name like \"a.b (c)+\"").test(doc)).isTrue();
        assertThat(Conditions.parse("name like \"a?b*\"").test(doc)).isFalse();
        assertThat(Conditions.parse("name like \"*(c)*\"").test(doc)).isTrue();
    }

    @Test
    void numbersStoredAsTextStillCompareAsNumbers() {
        JsonNode doc = SandboxJson.parse("{\"nextInvoiceDate\": \"12\", \"id\": 7}");
        assertThat(Conditions.parse("nextInvoiceDate > 9").test(doc)).isTrue();
        assertThat(Conditions.parse("id = \"7\"").test(doc)).isTrue();
    }
}
