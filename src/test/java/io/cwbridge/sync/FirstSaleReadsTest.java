package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * Issue 14, first sales: the R6 check of a subscription's first sale on an agreement that already bills its product for
 * many other subscriptions (each first sale of one agreement adds one more line) is one small additions read, whatever
 * the page size, and still decides as R6 says: a hand-made addition of the product still billing on the day holds the
 * sale back (R6), lines naming other subscriptions and additions ended before the day do not (R4 default then).
 * Calls counted at the sandbox, over real HTTP, with the real pipeline.
 */
class FirstSaleReadsTest extends BundleTestBase {

    private static final String AGREEMENT_SEARCH = "GET /finance/agreements";
    private static final String AGREEMENT_READ = "GET /finance/agreements/{id}";
    private static final String ADDITIONS_READ = "GET /finance/agreements/{parentId}/additions";
    /** More lines of the product than one page of the configured size (100) holds. */
    private static final int OTHER_SUBSCRIPTIONS = 150;
    private static final LocalDate DAY = LocalDate.of(2024, 2, 14);

    @LocalServerPort int port;
    @Autowired ConnectWiseSettings settings;

    final ObjectMapper mapper = new ObjectMapper();
    Tenant tenant;
    SandboxAdmin sandbox;
    String suffix;

    @BeforeEach
    void setUp() {
        tenant = Tenant.connected("fs", port);
        sandbox = tenant.sandbox();
        suffix = tenant.partner().substring(3);
    }

    /** An addition typed by hand: no subscription named. */
    static ObjectNode handMade(String item, String description, String cancelled) {
        ObjectNode a = line(item, description, "2024-01-01", 10);
        if (cancelled != null) a.put("cancelledDate", cancelled + "T00:00:00Z");
        return a;
    }

    static ObjectNode line(String item, String description, String effective, int quantity) {
        ObjectNode a = new ObjectMapper().createObjectNode();
        a.putObject("product").put("identifier", item);
        a.put("quantity", quantity).put("unitPrice", new java.math.BigDecimal("22.00")).put("unitCost", new java.math.BigDecimal("18.70"))
                .put("billCustomer", "Billable").put("effectiveDate", effective + "T00:00:00Z").put("description", description)
                .put("invoiceDescription", description);
        return a;
    }

    /**
     * Chairs, its one monthly USD agreement (the only eligible one, R4/R5) holding the bundle's base lines of
     * {@value #OTHER_SUBSCRIPTIONS} other subscriptions of the product, then {@code extra} additions (ids after theirs);
     * customer and product mapped. Answers the agreement's and the product's catalog item's ids, and the extras' ids.
     */
    long[] seed(List<ObjectNode> extra) {
        ObjectNode seed = mapper.createObjectNode();
        seed.putArray("companies").addObject().put("identifier", "Chairs" + suffix).put("name", "Chairs Unlimited");
        ArrayNode catalog = seed.putArray("catalog");
        for (String item : List.of("M365-BP" + suffix, "OTHER" + suffix)) {
            ObjectNode i = catalog.addObject().put("identifier", item).put("description", item).put("customerDescription", item);
            i.putObject("subcategory").put("name", "Cloud");
            i.putObject("type").put("name", "Subscription");
        }
        ObjectNode a = seed.putArray("agreements").addObject();
        a.put("name", "Chairs cloud").putObject("type").put("name", "Cloud");
        a.putObject("company").put("identifier", "Chairs" + suffix);
        a.putObject("contact").put("name", "Billing");
        a.put("startDate", "2024-01-01T00:00:00Z");
        a.putObject("billingCycle").put("name", "Monthly");
        a.putObject("currency").put("currencyCode", "USD");
        ArrayNode additions = a.putArray("additions");
        for (int k = 0; k < OTHER_SUBSCRIPTIONS; k++) {
            additions.add(line("M365-BP" + suffix, "Microsoft 365 NCE - Microsoft 365 Business Premium | CFQ7TTC0LCHC:0002:P1 | Subscription sub-o"
                    + k + " | 1 licences", "2024-02-01", 1));
        }
        extra.forEach(additions::add);
        JsonNode created = sandbox.seed(seed.toString());
        long company = created.path("companies").get(0).path("id").asLong();
        long item = created.path("catalog").get(0).path("id").asLong();
        tenant.mapCustomer(TestEvents.CUSTOMER, company);
        tenant.mapProduct(TestEvents.PRODUCT, item);
        JsonNode saved = created.path("agreements").get(0).path("additions");
        long[] ids = new long[2 + extra.size()];
        ids[0] = created.path("agreements").get(0).path("id").asLong();
        ids[1] = item;
        for (int e = 0; e < extra.size(); e++) ids[2 + e] = saved.get(OTHER_SUBSCRIPTIONS + e).path("id").asLong();
        return ids;
    }

    long sale() {
        return tenant.submit(TestEvents.event(tenant.partner(), tenant.partner() + "-sale", "sub-1", "SALES_ORDER", "NEW",
                DAY + "T09:00:00Z", 10, null));
    }

    @Test
    void linesOfOtherSubscriptionsAndAdditionsEndedBeforeTheDayDoNotHoldTheFirstSaleBackAndAreCheckedInOneRead() {
        seed(List.of(handMade("M365-BP" + suffix, "Business Premium (typed by hand, ended)", "2024-01-31"),
                handMade("M365-BP" + suffix, "Business Premium (typed by hand, ended the day before)", "2024-02-13"),
                handMade("OTHER" + suffix, "Another product typed by hand", null)));
        sandbox.resetCalls();
        JsonNode task = tenant.awaitSettled(sale());
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("SYNCED");
        // R4: the search answers the agreement; R6: one additions read for 150+ lines of the product; the base line.
        assertThat(sandbox.callsByEndpoint()).isEqualTo(Map.of(AGREEMENT_SEARCH, 1L, ADDITIONS_READ, 1L, Tenant.ADDITIONS_POST, 1L));
    }

    @Test
    void aHandMadeAdditionOfTheProductStillBillingOnTheDayHoldsTheFirstSaleBackR6() {
        long[] ids = seed(List.of(handMade("M365-BP" + suffix, "Business Premium (typed by hand)", null),
                handMade("M365-BP" + suffix, "Business Premium (typed by hand, ends on the day)", DAY.toString()),
                handMade("M365-BP" + suffix, "Business Premium (typed by hand, ended)", "2024-02-13")));
        sandbox.resetCalls();
        JsonNode task = tenant.awaitSettled(sale());
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("NEEDS_MAPPING");
        // Both still bill on the day (one ends on it): R6 names them; the one ended the day before is not named.
        assertThat(task.path("reason").asText()).contains("R6").contains("[" + ids[2] + ", " + ids[3] + "]")
                .doesNotContain(String.valueOf(ids[4]));
        assertThat(sandbox.callsByEndpoint()).isEqualTo(Map.of(AGREEMENT_SEARCH, 1L, ADDITIONS_READ, 1L));
    }

    long sale(String subscription) {
        return tenant.submit(TestEvents.event(tenant.partner(), tenant.partner() + "-sale-" + subscription, subscription,
                "SALES_ORDER", "NEW", DAY + "T09:00:00Z", 10, null));
    }

    RestClient connectWise() {
        return RestClient.builder().baseUrl(tenant.site() + "/v4_6_release/apis/3.0")
                .defaultHeader("Authorization", Tenant.AUTH).defaultHeader("clientId", Tenant.CLIENT_ID).build();
    }

    /**
     * A burst of first sales of one customer (bought together, or onboarded): the first sale's agreement search (R4)
     * and R6 read answer the others that start within the reuse window (FirstSaleReads), so five sales cost one
     * search, one additions read and their five base lines, and each still gets its own.
     */
    @Test
    void aBurstOfFirstSalesOfOneCustomerSearchesTheAgreementAndReadsItsAdditionsOnce() {
        long agreement = seed(List.of())[0];
        sandbox.resetCalls();
        List<Long> tasks = new ArrayList<>();
        for (int k = 1; k <= 5; k++) tasks.add(sale("sub-" + k));
        for (long t : tasks) {
            JsonNode task = tenant.awaitSettled(t);
            assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("SYNCED");
        }
        // The agreement was never invoiced, so invoicing is due and its record is read for each plan (AgreementCache keeps
        // none): the four sales that reuse the search read the record itself; on an agreement invoiced ahead they would not.
        assertThat(sandbox.callsByEndpoint()).isEqualTo(Map.of(AGREEMENT_SEARCH, 1L, AGREEMENT_READ, 4L, ADDITIONS_READ, 1L,
                Tenant.ADDITIONS_POST, 5L));
        assertThat(tenant.additions(agreement)).filteredOn(a -> a.path("description").asText().matches(".*Subscription sub-\\d+ .*"))
                .extracting(a -> a.path("description").asText().replaceAll(".*Subscription (sub-\\d+).*", "$1"))
                .containsExactlyInAnyOrder("sub-1", "sub-2", "sub-3", "sub-4", "sub-5");
    }

    /**
     * An answer that would hold a sale back (R6: a hand-made addition of the product) is never reused: the next first
     * sale reads the agreement's additions again, so a hand-made addition removed in the meantime no longer holds it.
     */
    @Test
    void anAnswerThatWouldHoldASaleBackIsReadAgainForTheNextSaleR6() {
        long[] ids = seed(List.of(handMade("M365-BP" + suffix, "Business Premium (typed by hand)", null)));
        JsonNode held = tenant.awaitSettled(sale("sub-1"));
        assertThat(held.path("status").asText()).as(held.toString()).isEqualTo("NEEDS_MAPPING");
        assertThat(held.path("reason").asText()).contains("R6").contains(String.valueOf(ids[2]));
        Tenant.ok(connectWise().delete().uri("/finance/agreements/{a}/additions/{id}", ids[0], ids[2]).retrieve().toEntity(String.class));
        sandbox.resetCalls();
        JsonNode task = tenant.awaitSettled(sale("sub-2"));
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("SYNCED");
        // R4's answer (one eligible agreement) is reused (with the agreement's record, read as invoicing is due); R6's,
        // which named the deleted addition, is read again
        assertThat(sandbox.callsByEndpoint()).isEqualTo(Map.of(AGREEMENT_READ, 1L, ADDITIONS_READ, 1L, Tenant.ADDITIONS_POST, 1L));
    }

    /**
     * R4: an answer with more than one eligible agreement is not reused either: after a person cancelled the second
     * agreement, the next first sale searches again and goes to the one left.
     */
    @Test
    void anAgreementSearchWithSeveralEligibleAgreementsIsMadeAgainForTheNextSaleR4() {
        long[] ids = seed(List.of());
        long company = connectWise().get().uri("/finance/agreements/{a}", ids[0]).retrieve().body(JsonNode.class)
                .path("company").path("id").asLong();
        long second = tenant.agreement(company, "Chairs cloud 2", Tenant.Terms.MONTHLY_USD);
        JsonNode held = tenant.awaitSettled(sale("sub-1"));
        assertThat(held.path("status").asText()).as(held.toString()).isEqualTo("NEEDS_MAPPING");
        assertThat(held.path("reason").asText()).contains("2 eligible agreements");
        Tenant.ok(connectWise().patch().uri("/finance/agreements/{a}", second).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("[{\"op\":\"replace\",\"path\":\"agreementStatus\",\"value\":\"Cancelled\"}]").retrieve().toEntity(String.class));
        sandbox.resetCalls();
        JsonNode task = tenant.awaitSettled(sale("sub-2"));
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("SYNCED");
        assertThat(sandbox.callsByEndpoint()).containsEntry(AGREEMENT_SEARCH, 1L).containsEntry(Tenant.ADDITIONS_POST, 1L);
        assertThat(tenant.additions(ids[0])).anyMatch(a -> a.path("description").asText().contains("Subscription sub-2"));
    }

    /**
     * The R6 read as {@link MappingResolver} asks it, against the read it made before (every addition of the product,
     * whole, in pages of the configured size): the same candidates, one call, only the fields R6 checks. Prints the
     * calls and bytes of both for the benchmark notes.
     */
    @Test
    void theR6ReadAnswersOnlyTheFieldsItChecksInOneCall() {
        long[] ids = seed(List.of(handMade("M365-BP" + suffix, "Business Premium (typed by hand, ends later)", "2024-03-31"),
                handMade("M365-BP" + suffix, "Business Premium (typed by hand, ended)", "2024-02-13")));
        long agreement = ids[0];
        RestClient cw = RestClient.builder().baseUrl(tenant.site() + "/v4_6_release/apis/3.0")
                .defaultHeader("Authorization", Tenant.AUTH).defaultHeader("clientId", Tenant.CLIENT_ID).build();

        List<JsonNode> before = new ArrayList<>();
        long beforeBytes = 0;
        int beforeCalls = 0;
        for (int page = 1; ; page++) {
            String body = read(cw, agreement, Map.of("conditions", "product/id=" + ids[1], "page", String.valueOf(page),
                    "pageSize", String.valueOf(settings.pageSize())));
            beforeCalls++;
            beforeBytes += body.length();
            JsonNode items = json(body);
            items.forEach(before::add);
            if (items.size() < settings.pageSize()) break;
        }
        String body = read(cw, agreement, Map.of("conditions", MappingResolver.unownedCandidates(ids[1]),
                "fields", String.join(",", MappingResolver.UNOWNED_FIELDS), "page", "1",
                "pageSize", String.valueOf(ConnectWiseClient.MAX_PAGE_SIZE)));
        List<JsonNode> after = new ArrayList<>();
        json(body).forEach(after::add);
        System.out.printf("R6 read of %d lines of the product: before %d calls, %d bytes; now 1 call, %d bytes%n",
                before.size(), beforeCalls, beforeBytes, body.length());

        assertThat(before).hasSize(OTHER_SUBSCRIPTIONS + 2);
        assertThat(beforeCalls).isEqualTo(2);
        // The same additions (the one ended before the day is left out by MappingResolver), each with at most id,
        // cancelledDate and description.
        assertThat(after).extracting(a -> a.path("id").asLong()).containsExactlyElementsOf(before.stream()
                .map(a -> a.path("id").asLong()).toList());
        Set<String> names = new HashSet<>();
        after.forEach(a -> a.fieldNames().forEachRemaining(names::add));
        assertThat(names).containsExactlyInAnyOrder("id", "cancelledDate", "description");
        assertThat(body.length()).isLessThan((int) (beforeBytes / 3));
    }

    String read(RestClient cw, long agreement, Map<String, String> query) {
        ResponseEntity<String> answer = cw.get().uri(b -> {
            b.path("/finance/agreements/{id}/additions");
            query.keySet().forEach(k -> b.queryParam(k, "{" + k + "}"));
            Map<String, Object> vars = new java.util.HashMap<>(query);
            vars.put("id", agreement);
            return b.build(vars);
        }).retrieve().toEntity(String.class);
        return Tenant.ok(answer).getBody();
    }

    JsonNode json(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
