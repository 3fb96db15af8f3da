package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.events.Subscription;
import io.cwbridge.mapping.KnownSubscriptions.Known;
import io.cwbridge.sync.MappingResolver;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * R6 candidates: the existing additions of an agreement a subscription could take over as its base
 * line — active (not cancelled before today), with the subscription's catalog item (when its product
 * is mapped), held by no subscription yet — best first. A candidate scores for the same quantity
 * (40), the same unit price (30), a description naming the subscription id (20) or its plan (10);
 * same quantity and price together make an exact match, the only kind auto-map adopts by itself.
 */
@Service
public class AdditionCandidates {

    static final int SAME_QUANTITY = 40;
    static final int SAME_PRICE = 30;
    static final int NAMES_SUBSCRIPTION = 20;
    static final int NAMES_PLAN = 10;

    private final PartnerConnectWise connectWise;
    private final KnownSubscriptions known;
    private final MappingRepository mappings;
    private final MappingResolver resolver;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    AdditionCandidates(PartnerConnectWise connectWise, KnownSubscriptions known,
                       MappingRepository mappings, MappingResolver resolver, NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.connectWise = connectWise;
        this.known = known;
        this.mappings = mappings;
        this.resolver = resolver;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Schema(name = "AdditionCandidate", description = "An existing addition the subscription could adopt as its base line (R6)")
    public record Candidate(
            long additionId,
            BigDecimal quantity,
            BigDecimal unitPrice,
            BigDecimal unitCost,
            LocalDate effectiveDate,
            LocalDate cancelledDate,
            String description,
            @Schema(description = "0-100: same quantity 40, same unit price 30, description names the subscription id 20, "
                    + "names the plan 10") int score,
            @Schema(description = "Why it scores (and what differs)") List<String> reasons,
            @Schema(description = "Same quantity and same unit price: the match auto-map adopts when it is the only one")
            boolean exact,
            long agreementId,
            String agreementName,
            Long catalogItemId,
            String catalogItemIdentifier,
            String catalogItemDescription) {}

    /** GET …/addition-candidates: the agreement given, else the mapped one, else the R4 default. */
    public List<Candidate> candidates(String partnerId, String subscriptionId, Long agreementId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        Known k = known.one(partnerId, subscriptionId).orElseThrow(() -> ApiProblems.notFound(
                "No event or import of partner " + partnerId + " names subscription " + subscriptionId + "."));
        ConnectWiseConnection c = connectWise.connection(partnerId);
        long agreement = agreementId != null ? agreementId
                : mappings.subscription(partnerId, subscriptionId).map(SubscriptionMapping::agreementId)
                        .orElseGet(() -> defaultAgreement(c, partnerId, k));
        Agreement record = connectWise.agreement(c, agreement);
        // R4: only the customer's company's agreements can take the subscription; another company's additions are no candidates
        Long companyId = mappings.customer(partnerId, k.customerId()).map(CustomerMapping::companyId).orElse(null);
        if (companyId != null && record.company() != null && record.company().id() != companyId) {
            throw ApiProblems.badRequest("agreementId", "agreement " + agreement + " belongs to company " + record.company().id()
                    + ", but customer " + k.customerId() + " is mapped to company " + companyId
                    + " (R4: only that company's agreements can take the subscription)");
        }
        Long catalog = catalogOf(partnerId, k).orElse(null);
        // Additions already held by a subscription (another's, or already this one's) are no candidates.
        return rank(c, k.subscription(), record, catalog, additions(c, agreement, catalog), owners(partnerId, null));
    }

    /** R4 for candidates: the only eligible agreement of the mapped company, else 400 asking for agreementId. */
    private long defaultAgreement(ConnectWiseConnection c, String partnerId, Known k) {
        long companyId = mappings.customer(partnerId, k.customerId()).map(CustomerMapping::companyId).orElseThrow(() ->
                ApiProblems.badRequest("agreementId", "is required: customer " + k.customerId()
                        + " is not mapped to a company (R1), so no default agreement can be chosen (R4)"));
        List<Agreement> eligible = call("list the company's agreements",
                () -> resolver.eligibleAgreements(c, companyId, k.subscription()));
        if (eligible.size() != 1) {
            throw ApiProblems.badRequest("agreementId", "is required: company " + companyId + " has " + eligible.size()
                    + " eligible agreements " + eligible.stream().map(Agreement::id).toList() + "; choose one (R4)");
        }
        return eligible.get(0).id();
    }

    /** The catalog item the subscription's product is mapped to. */
    Optional<Long> catalogOf(String partnerId, Known k) {
        return k.productId() == null ? Optional.empty()
                : mappings.product(partnerId, k.productId()).map(ProductMapping::catalogItemId);
    }

    /** The agreement's additions, of the catalog item when given. */
    List<AgreementAddition> additions(ConnectWiseConnection c, long agreementId, Long catalogItemId) {
        return call("list the agreement's additions", () -> connectWise.additions().list(c, agreementId,
                catalogItemId == null ? null : "product/id=" + catalogItemId));
    }

    /**
     * Which subscription owns each addition: a line the bundle wrote or adopted (table
     * subscription_line), the subscription's own lines included, a hand-made addition it was cut
     * over from (table subscription_cutover), and a line a move ended on the old agreement (R8, table
     * subscription_line_moved). {@code additionIds} null = all of
     * the partner's.
     */
    Map<Long, String> owners(String partnerId, Collection<Long> additionIds) {
        Map<String, Object> params = new HashMap<>();
        params.put("p", partnerId);
        String only = "";
        if (additionIds != null) {
            if (additionIds.isEmpty()) return Map.of();
            params.put("ids", additionIds);
            only = " AND addition_id IN (:ids)";
        }
        Map<Long, String> owners = new HashMap<>();
        // A hand-made addition a subscription was cut over from (R6) stays that subscription's: ended, no candidate again.
        jdbc.query("SELECT addition_id, subscription_id FROM subscription_line WHERE partner_id = :p" + only
                        + " UNION ALL SELECT ended_addition_id, subscription_id FROM subscription_cutover WHERE partner_id = :p"
                        + only.replace("addition_id", "ended_addition_id")
                        // R8: a line a move ended on the old agreement stays the moved subscription's (it may still run
                        // until the old agreement's next invoice date, so it is no candidate for another subscription)
                        + " UNION ALL SELECT addition_id, subscription_id FROM subscription_line_moved WHERE partner_id = :p" + only,
                params, rs -> {
                    owners.put(rs.getLong(1), rs.getString(2));
                });
        return owners;
    }

    /** The active, unowned additions of {@code catalog} (any when null), ranked best first. */
    List<Candidate> rank(ConnectWiseConnection c, Subscription s, Agreement agreement, Long catalog, List<AgreementAddition> additions,
                         Map<Long, String> owners) {
        LocalDate today = LocalDate.now(clock);
        Map<Long, ItemName> items = new HashMap<>();
        List<Candidate> ranked = new ArrayList<>();
        for (AgreementAddition a : additions) {
            long id = a.id();
            Long product = a.catalogItemId();
            LocalDate cancelled = a.cancelledDate();
            if (owners.containsKey(id) || (catalog != null && !catalog.equals(product))
                    || (cancelled != null && cancelled.isBefore(today))) {
                continue;
            }
            ItemName item = product == null ? null : items.computeIfAbsent(product, p -> catalogItem(c, a, p));
            ranked.add(candidate(s, agreement, a, product, item));
        }
        ranked.sort(Comparator.comparingInt(Candidate::score).reversed()
                .thenComparing(candidate -> quantityGap(s, candidate))
                .thenComparingLong(Candidate::additionId));
        return ranked;
    }

    private static BigDecimal quantityGap(Subscription s, Candidate c) {
        return s.quantity() == null || c.quantity() == null ? BigDecimal.valueOf(Long.MAX_VALUE)
                : c.quantity().subtract(BigDecimal.valueOf(s.quantity())).abs();
    }

    /** A catalog item's identifier and description, as a candidate shows them. */
    record ItemName(String identifier, String description) {}

    /** The addition's catalog item with its identifier and description (read once per item; its reference when unreadable). */
    private ItemName catalogItem(ConnectWiseConnection c, AgreementAddition addition, long productId) {
        try {
            CatalogItem item = connectWise.resources().catalogItem(c, productId);
            return new ItemName(item.identifier(), item.description());
        } catch (ConnectWiseException e) {
            return new ItemName(addition.product().identifier(), null);
        }
    }

    static Candidate candidate(Subscription s, Agreement agreement, AgreementAddition a, Long product, ItemName item) {
        BigDecimal quantity = a.quantity();
        BigDecimal price = a.unitPrice();
        String description = a.description();
        int score = 0;
        List<String> reasons = new ArrayList<>();
        boolean sameQuantity = quantity != null && s.quantity() != null && quantity.compareTo(BigDecimal.valueOf(s.quantity())) == 0;
        if (sameQuantity) {
            score += SAME_QUANTITY;
            reasons.add("same quantity as the subscription (" + s.quantity() + ")");
        } else {
            reasons.add("quantity " + plain(quantity) + ", the subscription has " + s.quantity());
        }
        boolean samePrice = price != null && s.unitPrice() != null && price.compareTo(s.unitPrice()) == 0;
        if (samePrice) {
            score += SAME_PRICE;
            reasons.add("same unit price as the subscription (" + plain(s.unitPrice()) + ")");
        } else {
            reasons.add("unit price " + plain(price) + ", the subscription has " + plain(s.unitPrice()));
        }
        String text = description == null ? "" : description.toLowerCase(Locale.ROOT);
        if (s.id() != null && text.contains(s.id().toLowerCase(Locale.ROOT))) {
            score += NAMES_SUBSCRIPTION;
            reasons.add("description names the subscription id");
        }
        String plan = s.product() == null ? null : s.product().plan();
        if (plan != null && !plan.isBlank() && text.contains(plan.toLowerCase(Locale.ROOT))) {
            score += NAMES_PLAN;
            reasons.add("description names the plan \"" + plan + "\"");
        }
        return new Candidate(a.id(), quantity, price, a.unitCost(), a.effectiveDate(), a.cancelledDate(), description, score,
                List.copyOf(reasons), sameQuantity && samePrice, agreement.id(), agreement.name(), product,
                item == null ? null : item.identifier(), item == null ? null : item.description());
    }

    private static String plain(BigDecimal value) {
        return value == null ? "none" : value.setScale(Math.max(2, value.scale())).toPlainString();
    }

    static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise(what, e);
        }
    }
}
