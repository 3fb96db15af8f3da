package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.mapping.KnownSubscriptions.Known;
import io.cwbridge.mapping.WorkbenchRows.CustomerRow;
import io.cwbridge.mapping.WorkbenchRows.ProductRow;
import io.cwbridge.mapping.WorkbenchRows.SubscriptionRow;
import io.cwbridge.sync.MappingResolver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Auto-match (SPEC 3): a customer maps to the one company with exactly its name, case-sensitive (R1);
 * a product to the one catalog item with its mfg part number as manufacturer part number or vendor
 * SKU (R2); a subscription of a mapped customer to the company's only eligible agreement (R4, R5).
 * Anything else gets ranked candidates, never a guess.
 */
@Service
public class AutoMatch {

    static final int CANDIDATES = 10;

    private final PartnerConnectWise connectWise;
    private final ConnectWiseResources resources;
    private final MappingWorkbench workbench;
    private final KnownSubscriptions known;
    private final CustomerMappings customers;
    private final ProductMappings products;
    private final SubscriptionMappings subscriptions;
    private final MappingRepository mappings;
    private final MappingResolver resolver;
    private final NamedParameterJdbcTemplate jdbc;
    private final AdditionCandidates additionCandidates;

    AutoMatch(PartnerConnectWise connectWise, MappingWorkbench workbench, KnownSubscriptions known,
              CustomerMappings customers, ProductMappings products, SubscriptionMappings subscriptions,
              MappingRepository mappings, MappingResolver resolver, NamedParameterJdbcTemplate jdbc,
              AdditionCandidates additionCandidates) {
        this.additionCandidates = additionCandidates;
        this.connectWise = connectWise;
        this.resources = connectWise.resources();
        this.workbench = workbench;
        this.known = known;
        this.customers = customers;
        this.products = products;
        this.subscriptions = subscriptions;
        this.mappings = mappings;
        this.resolver = resolver;
        this.jdbc = jdbc;
    }

    /** A ConnectWise record offered for a mapping, closest first. */
    public record Candidate(long id, String identifier, String name, double score) {}

    public enum Outcome { MAPPED, WOULD_MAP, NO_MATCH, AMBIGUOUS, FAILED }

    /**
     * @param linkedId   the company / catalog item / agreement mapped (or that would be)
     * @param additionId for a subscription: the existing addition adopted as its base line (R6), or that would be
     * @param candidates for a subscription not mapped because its agreement has additions it could adopt (R6)
     */
    public record Item(String id, String name, Outcome outcome, Long linkedId, String reason,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       Long additionId,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                       List<AdditionCandidates.Candidate> candidates) {

        public Item(String id, String name, Outcome outcome, Long linkedId, String reason) {
            this(id, name, outcome, linkedId, reason, null, null);
        }
    }

    public record Report(boolean dryRun, List<Item> customers, List<Item> products, List<Item> subscriptions,
                         Map<String, Map<Outcome, Long>> counts) {}

    // ---- exact matches ------------------------------------------------------------------------

    /** R1: active companies whose name is exactly this one (ConnectWise compares without case; we do not). */
    List<Company> companiesNamed(ConnectWiseConnection c, String name) {
        return call("search companies", () -> resources.companies(c, "name=\"" + PartnerConnectWise.escape(name) + "\"")).stream()
                .filter(co -> name.equals(co.name()) && !co.deletedFlag())
                .toList();
    }

    /** R2: active catalog items whose manufacturer part number or vendor SKU is the product's mfg part number. */
    List<CatalogItem> itemsWithPartNumber(ConnectWiseConnection c, String mfgPartNumber) {
        if (mfgPartNumber == null || mfgPartNumber.isBlank()) return List.of();
        String v = PartnerConnectWise.escape(mfgPartNumber);
        return call("search catalog items", () -> resources.catalogItems(c,
                "manufacturerPartNumber=\"" + v + "\" or vendorSku=\"" + v + "\"")).stream()
                .filter(i -> mfgPartNumber.equals(i.manufacturerPartNumber()) || mfgPartNumber.equals(i.vendorSku()))
                .filter(i -> !i.inactiveFlag())
                .toList();
    }

    // ---- candidates ---------------------------------------------------------------------------

    public List<Candidate> customerCandidates(String partnerId, String customerId) {
        MappingIds.check(partnerId, "customerId", customerId);
        String name = known.all(partnerId).stream().filter(k -> customerId.equals(k.customerId()))
                .max(Comparator.comparing(Known::occurredAt)).map(k -> k.subscription().customer().name())
                .orElseThrow(() -> ApiProblems.notFound("No event or import of partner " + partnerId + " names customer " + customerId + "."));
        ConnectWiseConnection c = connectWise.connection(partnerId);
        List<Company> found = call("search companies", () -> resources.companies(c, anyWord("name", name)));
        return rank(found.stream().filter(co -> !co.deletedFlag()).map(co -> new Named(co.id(), co.identifier(), co.name())).toList(),
                name);
    }

    public List<Candidate> productCandidates(String partnerId, String productId) {
        MappingIds.check(partnerId, "productId", productId);
        var product = known.all(partnerId).stream().filter(k -> productId.equals(k.productId()))
                .max(Comparator.comparing(Known::occurredAt)).map(k -> k.subscription().product())
                .orElseThrow(() -> ApiProblems.notFound("No event or import of partner " + partnerId + " names product " + productId + "."));
        String title = product.plan() == null || product.plan().isBlank() ? product.name() : product.plan();
        ConnectWiseConnection c = connectWise.connection(partnerId);
        List<CatalogItem> found = call("search catalog items", () -> resources.catalogItems(c, anyWord("description", title)));
        return rank(found.stream().filter(i -> !i.inactiveFlag()).map(i -> new Named(i.id(), i.identifier(), i.description())).toList(),
                title);
    }

    /** ConnectWise conditions: the field contains any of the name's words (all records when it has none). */
    private static String anyWord(String field, String name) {
        List<String> words = NameSimilarity.words(name);
        return words.isEmpty() ? null : words.stream()
                .map(w -> field + " contains \"" + PartnerConnectWise.escape(w) + "\"").collect(Collectors.joining(" or "));
    }

    /** A company or catalog item as a candidate: its id, identifier and what it is matched by (name, description). */
    private record Named(long id, String identifier, String name) {}

    private static List<Candidate> rank(List<Named> records, String name) {
        return records.stream()
                .map(r -> new Candidate(r.id(), r.identifier(), r.name(), NameSimilarity.score(name, r.name() == null ? "" : r.name())))
                .sorted(Comparator.comparingDouble(Candidate::score).reversed().thenComparingLong(Candidate::id))
                .limit(CANDIDATES).toList();
    }

    /** An agreement of the subscription's company, and whether it can take the subscription (R5). */
    public record AgreementChoice(long id, String name, boolean eligible, String reason) {}

    /** The agreements of the company the subscription's customer is mapped to, eligible ones first. */
    public List<AgreementChoice> agreementChoices(String partnerId, String subscriptionId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        Known k = known.one(partnerId, subscriptionId).orElseThrow(() -> ApiProblems.notFound(
                "No event or import of partner " + partnerId + " names subscription " + subscriptionId + "."));
        long companyId = mappings.customer(partnerId, k.customerId()).map(CustomerMapping::companyId).orElseThrow(() ->
                ApiProblems.badRequest("customerId", "customer " + k.customerId() + " is not mapped to a company yet (R1)"));
        ConnectWiseConnection c = connectWise.connection(partnerId);
        return call("list agreements", () -> resources.agreements(c, "company/id=" + companyId)).stream()
                .map(a -> {
                    var reason = MappingResolver.ineligibility(a, k.subscription());
                    return new AgreementChoice(a.id(), a.name() == null ? "" : a.name(), reason.isEmpty(), reason.orElse(null));
                })
                .sorted(Comparator.comparing((AgreementChoice a) -> !a.eligible()).thenComparingLong(AgreementChoice::id))
                .toList();
    }

    // ---- bulk auto-map ------------------------------------------------------------------------

    /** "Auto-map everything that matches exactly"; with {@code dryRun} nothing is saved and WOULD_MAP is reported. */
    public Report autoMap(String partnerId, boolean dryRun) {
        ConnectWiseConnection c = connectWise.connection(partnerId);
        MappingWorkbench.Snapshot snapshot = workbench.snapshot(partnerId);
        Outcome done = dryRun ? Outcome.WOULD_MAP : Outcome.MAPPED;

        Map<String, Long> companyOf = new HashMap<>();
        List<Item> customerItems = new ArrayList<>();
        for (CustomerRow r : snapshot.customers()) {
            if (r.companyId() != null) {
                companyOf.put(r.customerId(), r.companyId());
                continue;
            }
            Item item = attempt(r.customerId(), r.name(), () -> {
                List<Company> match = companiesNamed(c, r.name());
                if (match.size() != 1) return unmatched(r.customerId(), r.name(), match.size(), "companies named exactly \"" + r.name() + "\" (R1)");
                long id = match.get(0).id();
                if (!dryRun) customers.map(partnerId, r.customerId(), new CustomerMappingRequest(id, null));
                return new Item(r.customerId(), r.name(), done, id, "R1 exact name");
            });
            if (item.linkedId() != null) companyOf.put(r.customerId(), item.linkedId());
            customerItems.add(item);
        }

        Map<String, Long> catalogOf = new HashMap<>();
        List<Item> productItems = new ArrayList<>();
        for (ProductRow r : snapshot.products()) {
            if (r.catalogItemId() != null) {
                catalogOf.put(r.productId(), r.catalogItemId());
                continue;
            }
            String name = r.plan() == null ? r.name() : r.plan();
            productItems.add(attempt(r.productId(), name, () -> {
                List<CatalogItem> match = itemsWithPartNumber(c, r.mfgPartNumber());
                if (match.size() != 1) return unmatched(r.productId(), name, match.size(), "catalog items with part number \"" + r.mfgPartNumber() + "\" (R2)");
                long id = match.get(0).id();
                if (!dryRun) products.map(partnerId, r.productId(), new ProductMappingRequest(id, null));
                return new Item(r.productId(), name, done, id, "R2 mfg part number");
            }));
            Item last = productItems.get(productItems.size() - 1);
            if (last.linkedId() != null) catalogOf.put(r.productId(), last.linkedId());
        }

        Set<String> unmappedByUser = new HashSet<>(jdbc.queryForList(
                "SELECT subscription_id FROM subscription_unmapped WHERE partner_id = :p", Map.of("p", partnerId), String.class));
        Map<String, Known> knownById = new HashMap<>();
        snapshot.known().forEach(k -> knownById.put(k.subscriptionId(), k));
        // R6: what the agreements already hold, read once per agreement; who owns which addition, once.
        Map<Long, List<AgreementAddition>> additionsOf = new HashMap<>();
        Map<Long, String> owners = new HashMap<>(additionCandidates.owners(partnerId, null));
        List<Item> subscriptionItems = new ArrayList<>();
        for (SubscriptionRow r : snapshot.subscriptions()) {
            if (r.agreementId() != null || r.cancelled() || unmappedByUser.contains(r.subscriptionId())) continue;
            Long companyId = companyOf.get(r.customerId());
            String name = r.customerName() + " / " + r.productName();
            if (companyId == null) {
                subscriptionItems.add(new Item(r.subscriptionId(), name, Outcome.NO_MATCH, null,
                        "customer " + r.customerId() + " is not mapped (R1)"));
                continue;
            }
            subscriptionItems.add(attempt(r.subscriptionId(), name, () -> {
                List<Agreement> eligible = call("list agreements", () ->
                        resolver.eligibleAgreements(c, companyId, knownById.get(r.subscriptionId()).subscription()));
                if (eligible.size() != 1) return unmatched(r.subscriptionId(), name, eligible.size(), "eligible agreements of company " + companyId + " (R4, R5)");
                Agreement agreement = eligible.get(0);
                long id = agreement.id();
                Known k = knownById.get(r.subscriptionId());
                Long catalog = catalogOf.get(k.productId());
                List<AgreementAddition> held = additionsOf.computeIfAbsent(id, a -> additionCandidates.additions(c, a, null));
                List<AdditionCandidates.Candidate> found = additionCandidates.rank(c, k.subscription(), agreement, catalog,
                        held, owners);
                if (!found.isEmpty()) {
                    List<AdditionCandidates.Candidate> exact = found.stream().filter(AdditionCandidates.Candidate::exact).toList();
                    if (catalog == null || exact.size() != 1) {
                        String why = catalog == null
                                ? "its product " + k.productId() + " is not mapped yet (R2), so no addition can be matched"
                                : exact.isEmpty() ? "none has the same quantity and unit price" : exact.size() + " have the same quantity and unit price";
                        return new Item(r.subscriptionId(), name, Outcome.AMBIGUOUS, null, "R6: agreement " + id + " has "
                                + found.size() + " addition(s) this subscription could adopt " + found.stream()
                                .map(AdditionCandidates.Candidate::additionId).toList() + " and " + why
                                + "; not mapped, so no second base line is created. Choose one with PUT …/subscriptions/"
                                + r.subscriptionId() + "/mapping {agreementId, additionId}", null, found);
                    }
                    long additionId = exact.get(0).additionId();
                    if (!dryRun) {
                        subscriptions.map(partnerId, r.subscriptionId(),
                                new SubscriptionMappingRequest(id, null, additionId, null, null, null));
                    }
                    owners.put(additionId, r.subscriptionId());
                    return new Item(r.subscriptionId(), name, done, id, "R4 only eligible agreement; R6 adopted addition "
                            + additionId + " as its base line (the only one with the same quantity and unit price)", additionId, null);
                }
                if (!dryRun) subscriptions.map(partnerId, r.subscriptionId(), new SubscriptionMappingRequest(id, null));
                return new Item(r.subscriptionId(), name, done, id, "R4 only eligible agreement");
            }));
        }
        Map<String, Map<Outcome, Long>> counts = new LinkedHashMap<>();
        counts.put("customers", count(customerItems));
        counts.put("products", count(productItems));
        counts.put("subscriptions", count(subscriptionItems));
        return new Report(dryRun, customerItems, productItems, subscriptionItems, counts);
    }

    private static Item unmatched(String id, String name, int found, String what) {
        return new Item(id, name, found == 0 ? Outcome.NO_MATCH : Outcome.AMBIGUOUS, null, found + " " + what);
    }

    private static Item attempt(String id, String name, java.util.function.Supplier<Item> work) {
        try {
            return work.get();
        } catch (ErrorResponseException e) {
            String detail = e.getBody().getDetail();
            Object errors = e.getBody().getProperties() == null ? null : e.getBody().getProperties().get("errors");
            return new Item(id, name, Outcome.FAILED, null, errors == null ? detail : detail + " " + errors);
        }
    }

    private static Map<Outcome, Long> count(List<Item> items) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        items.forEach(i -> counts.merge(i.outcome(), 1L, Long::sum));
        return counts;
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise(what, e);
        }
    }
}
