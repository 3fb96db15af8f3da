package io.cwbridge.sync;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.events.EventAction;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.AgreementEligibility;
import io.cwbridge.rules.MappingContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns the mapping lookup (sql/mapping-lookup.sql) into a {@link MappingContext}, or into the
 * list of what is missing (NEEDS_MAPPING). An unmapped subscription of a mapped customer goes to
 * the company's agreement when exactly one is eligible (R4, R5).
 */
@Component
public class MappingResolver {

    private final ConnectWiseResources resources;
    private final NamedParameterJdbcTemplate jdbc;
    private final AgreementCache agreements;
    private final SubscriptionMappingRepository mappings;
    private final FirstSaleReads firstSaleReads;

    private final java.time.Clock clock;

    public MappingResolver(ConnectWiseResources resources, NamedParameterJdbcTemplate jdbc,
                           AgreementCache agreements, SubscriptionMappingRepository mappings, FirstSaleReads firstSaleReads,
                           java.time.Clock clock) {
        this.clock = clock;
        this.firstSaleReads = firstSaleReads;
        this.resources = resources;
        this.jdbc = jdbc;
        this.agreements = agreements;
        this.mappings = mappings;
    }

    public record Resolution(MappingContext context, List<String> missing, List<String> notes) {
        boolean complete() {
            return missing.isEmpty();
        }
    }

    /** @param persist save a default agreement choice (R4); false for a dry-run plan */
    public Resolution resolve(String partnerId, ConnectWiseConnection cw, SubscriptionEvent event, Map<String, Object> row, boolean persist) {
        Subscription s = event.subscription();
        List<String> missing = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Agreement searched = null;
        Long companyId = number(row.get("company_id"));
        Long catalogItemId = number(row.get("catalog_item_id"));
        Long upgradeCatalogItemId = number(row.get("upgrade_catalog_item_id"));
        Long agreementId = number(row.get("agreement_id"));
        LocalDate fromDate = row.get("from_date") == null ? null : LocalDate.parse(row.get("from_date").toString());
        LocalDate cancelledFrom = row.get("cancelled_from") == null ? null : LocalDate.parse(row.get("cancelled_from").toString());
        if (companyId == null) missing.add("customer " + s.customer().id() + " (" + s.customer().name() + ") is not mapped to a company (R1)");
        if (catalogItemId == null) missing.add("product " + s.product().id() + " is not mapped to a catalog item (R2)");
        boolean upgrade = event.action() == EventAction.FULL_UPGRADE || event.action() == EventAction.PARTIAL_UPGRADE;
        if (upgrade && upgradeCatalogItemId == null) {
            missing.add("product " + event.upgradeTo().product().id() + " (upgrade target) is not mapped to a catalog item (R2)");
        }
        // An explicit unmap keeps the subscription unmapped: no silent R4 default (SPEC 3 unmap).
        boolean unmapped = Boolean.TRUE.equals(row.get("unmapped"));
        if (agreementId == null && companyId != null && unmapped) {
            missing.add("subscription " + s.id() + " was unmapped; map it to an agreement to sync it again");
        } else if (agreementId == null && companyId != null && catalogItemId != null) {
            // R4 waits for the product's mapping (R2): only with the catalog item can R6 see that the only eligible
            // agreement already bills the subscription by hand. A default saved earlier would skip that check for good.
            // Both reads may be another first sale's of the same burst (FirstSaleReads): only an answer that lets this
            // sale go on by default is reused, any other is read again.
            FirstSaleReads.Answer<Agreement> companyAgreements = firstSaleReads.agreements(partnerId, cw, companyId,
                    reused -> eligible(reused, s).size() == 1);
            if (!companyAgreements.reused()) companyAgreements.items().forEach(a -> agreements.refreshed(partnerId, a));
            List<Agreement> eligible = eligible(companyAgreements.items(), s);
            List<AgreementAddition> handMade = eligible.size() == 1
                    ? unownedAdditions(partnerId, s.id(), cw, eligible.get(0).id(), catalogItemId, event.changeDate())
                    : List.of();
            if (eligible.size() == 1 && !handMade.isEmpty()) {
                missing.add(handMadeHold(s.id(), eligible.get(0).id(), handMade, LocalDate.now(clock)));
            } else if (eligible.size() == 1) {
                // The search answered the whole agreement record: the mapping step below reads it from there (a reused
                // search's record from the agreement cache, which the search refreshed unless a change evicted it since).
                searched = companyAgreements.reused() ? agreements.agreement(partnerId, cw, eligible.get(0).id()) : eligible.get(0);
                agreementId = searched.id();
                notes.add("R4 subscription mapped to agreement " + agreementId + ", the company's only eligible agreement");
                if (persist) map(partnerId, s.id(), agreementId);
            } else {
                missing.add("subscription " + s.id() + " is not mapped to an agreement (R4: " + eligible.size()
                        + " eligible agreements, choose one)");
            }
        }
        if (!missing.isEmpty()) {
            return new Resolution(null, missing, notes);
        }
        // The agreement record: the R4 search's answer for a first sale, else the cache (read once per agreement, AgreementCache).
        Agreement agreement = searched != null ? searched : agreements.agreement(partnerId, cw, agreementId);
        if (searched == null) {
            // A mapping saved before the bundle knew the subscription was not checked against its customer (R4, R5).
            Optional<String> refused = mappedAgreementRefusal(agreement, companyId, event);
            if (refused.isPresent()) return new Resolution(null, List.of(refused.get()), notes);
        }
        if (event.action() == EventAction.PARTIAL_UPGRADE && persist) {
            // R20: the new subscription lives on the same agreement.
            map(partnerId, event.upgradeTo().subscriptionId(), agreementId);
        }
        if (persist) agreements.plannedOn(partnerId, s.id(), agreementId);
        return new Resolution(new MappingContext(agreementId, agreement.billingStart(), catalogItemId, upgradeCatalogItemId, fromDate,
                billing(agreement), cancelledFrom, number(row.get("adopted_addition_id"))), List.of(), notes);
    }

    /**
     * Why the subscription's mapped agreement cannot take this event's lines, or empty when it can. A subscription
     * mapping can be saved before the bundle has seen the subscription (its customer, cycle and start are then
     * unknown, so the mapping API could not check them); the sync checks them before anything is written:
     * for the subscription's first lines (a sales order): the agreement is one of the company the customer is mapped
     * to (R4: never another customer's billing) and eligible for the subscription (R5). Later orders keep the agreement
     * their lines are on: a cancellation must still end them there after the customer was re-mapped to another company.
     */
    static Optional<String> mappedAgreementRefusal(Agreement agreement, long companyId, SubscriptionEvent event) {
        Subscription s = event.subscription();
        if (event.type() != io.cwbridge.events.EventType.SALES_ORDER) return Optional.empty();
        if (agreement.company() != null && agreement.company().id() != companyId) {
            return Optional.of("subscription " + s.id() + " is mapped to agreement " + agreement.id() + " of company "
                    + agreement.company().id() + ", but its customer " + s.customer().id() + " is mapped to company " + companyId
                    + " (R4: map the subscription to one of that company's agreements)");
        }
        Optional<String> ineligible = ineligibility(agreement, s);
        if (ineligible.isPresent()) {
            return Optional.of("subscription " + s.id() + " is mapped to agreement " + agreement.id()
                    + ", which is not eligible: " + ineligible.get() + " (map it to an eligible agreement)");
        }
        return Optional.empty();
    }

    /**
     * How the agreement invoices (R22, R27), from the {@code finance/agreements/{id}} record the
     * bundle reads anyway: billing start, next invoice date N (the days before it are invoiced) and
     * the Prorate / "invoice prorated additions" settings. Absent flags count as off.
     */
    public static AgreementBilling billing(Agreement agreement) {
        return new AgreementBilling(agreement.billStartDate(), agreement.nextInvoiceDate(), agreement.prorateFlag(),
                agreement.invoiceProratedAdditionsFlag());
    }

    /**
     * R6: additions of the catalog item on the agreement that still bill on {@code day} and that no
     * subscription owns (the bundle neither wrote nor adopted them): most likely the partner's
     * hand-made billing of this very subscription. The R4 default would bill it a second time, so
     * the subscription waits for a person to adopt one (or map it explicitly). One additions read,
     * only for a subscription's first event without a mapping: the agreement may already hold a line
     * of the product for each of many subscriptions, so ConnectWise answers only the fields read here
     * ({@link #UNOWNED_FIELDS}), in pages of ConnectWise's largest size.
     */
    private List<AgreementAddition> unownedAdditions(String partnerId, String subscriptionId, ConnectWiseConnection cw,
                                                     long agreementId, long catalogItemId, LocalDate day) {
        FirstSaleReads.Answer<AgreementAddition> read = firstSaleReads.productAdditions(partnerId, cw, agreementId, catalogItemId,
                unownedCandidates(catalogItemId), UNOWNED_FIELDS,
                reused -> unowned(partnerId, candidates(reused, subscriptionId, day)).isEmpty());
        return read.reused() ? List.of() : unowned(partnerId, candidates(read.items(), subscriptionId, day));
    }

    /** Leaves out the additions a subscription owns: a line the bundle wrote or adopted, or a hand-made addition a cut-over ended (R6, V16). */
    private List<AgreementAddition> unowned(String partnerId, List<AgreementAddition> found) {
        if (found.isEmpty()) {
            return found;
        }
        List<Long> ids = new ArrayList<>(found.stream().map(AgreementAddition::id).toList());
        List<Long> owned = jdbc.queryForList("""
                SELECT addition_id FROM subscription_line WHERE partner_id = :p AND addition_id IN (:ids)
                UNION SELECT ended_addition_id FROM subscription_cutover WHERE partner_id = :p AND ended_addition_id IN (:ids)""",
                Map.of("p", partnerId, "ids", ids), Long.class);
        found.removeIf(a -> owned.contains(a.id()));
        return found;
    }

    /** The additions that may be the subscription's hand-made billing: still billing on the day, naming no other subscription. */
    private static List<AgreementAddition> candidates(List<AgreementAddition> read, String subscriptionId, LocalDate day) {
        List<AgreementAddition> found = new ArrayList<>();
        for (AgreementAddition a : read) {
            LocalDate cancelled = a.cancelledDate();
            String description = a.description() == null ? "" : a.description();
            if ((cancelled == null || !cancelled.isBefore(day)) && !namesAnotherSubscription(description, subscriptionId)) {
                found.add(a);
            }
        }
        return found;
    }

    /**
     * Why the first sale waits (R6), with the way out that works for each hand-made addition: an active one can be
     * adopted; one that already ended (before today, so adoption refuses it) billed the subscription until its end, so
     * the mapping's from date (R25) starts the bundle's line the day after and no day is billed twice.
     */
    static String handMadeHold(String subscriptionId, long agreementId, List<AgreementAddition> handMade, LocalDate today) {
        List<Long> active = handMade.stream().filter(a -> a.cancelledDate() == null || !a.cancelledDate().isBefore(today))
                .map(AgreementAddition::id).toList();
        List<AgreementAddition> ended = handMade.stream().filter(a -> a.cancelledDate() != null && a.cancelledDate().isBefore(today))
                .toList();
        StringBuilder why = new StringBuilder("subscription " + subscriptionId + " is not mapped: agreement " + agreementId
                + " already bills addition(s) " + handMade.stream().map(AgreementAddition::id).toList()
                + " of its catalog item that no subscription owns (R6: ");
        if (!active.isEmpty()) {
            why.append("adopt one of ").append(active).append(" with PUT …/subscriptions/").append(subscriptionId)
                    .append("/mapping {\"agreementId\":").append(agreementId).append(",\"additionId\":…}");
        }
        if (!ended.isEmpty()) {
            LocalDate last = ended.stream().map(AgreementAddition::cancelledDate).max(LocalDate::compareTo).orElseThrow();
            if (!active.isEmpty()) why.append("; ");
            why.append("addition(s) ").append(ended.stream().map(a -> a.id() + " ended " + a.cancelledDate()).toList())
                    .append(" billed it until then: map it with {\"agreementId\":").append(agreementId)
                    .append(",\"fromDate\":\"").append(last.plusDays(1)).append("\"} so those days are not billed twice");
        }
        return why.append(", or map it to the agreement without one to bill it on a line of its own)").toString();
    }

    /** What {@link #unownedAdditions} reads of an addition: the rest of the record is left out of ConnectWise's answer. */
    static final List<String> UNOWNED_FIELDS = List.of("id", "cancelledDate", "description");

    /**
     * The R6 read's ConnectWise conditions: the catalog item's additions. The ended-before-the-day ones are left out
     * here, not by a condition: ConnectWise's documented grammar (shared/connectwise README) has dates in brackets but
     * no word on {@code = null}, and a condition it refused would stop every first sale.
     */
    static String unownedCandidates(long catalogItemId) {
        return "product/id=" + catalogItemId;
    }

    /**
     * A line the bundle wrote for another subscription names it ("… | Subscription {id} | …", rules'
     * LineDescriptions); such a line is that subscription's, even in the moment between its create
     * landing and its line being recorded (first sales of one agreement's subscriptions arriving
     * together must not hold each other up as hand-made additions).
     */
    static boolean namesAnotherSubscription(String description, String subscriptionId) {
        for (String part : description.split(" \\| ")) {
            String p = part.trim();
            if (p.startsWith("Subscription ") && !p.substring("Subscription ".length()).trim().equals(subscriptionId)) {
                return true;
            }
        }
        return false;
    }

    /** R5: same billing cycle and currency; a yearly one only on an agreement starting on the first of the subscription's start month. */
    public List<Agreement> eligibleAgreements(ConnectWiseConnection cw, long companyId, Subscription s) {
        return eligible(resources.agreements(cw, "company/id=" + companyId), s);
    }

    private static List<Agreement> eligible(List<Agreement> agreements, Subscription s) {
        return agreements.stream().filter(a -> ineligibility(a, s).isEmpty()).toList();
    }

    /** Why the agreement cannot take the subscription (R5, {@link AgreementEligibility}), or empty when it can. */
    public static Optional<String> ineligibility(Agreement a, Subscription s) {
        return AgreementEligibility.ineligibility(terms(a), s);
    }

    /** The fields of a {@code finance/agreements} record that R5 reads. */
    static AgreementEligibility.AgreementTerms terms(Agreement a) {
        return new AgreementEligibility.AgreementTerms(a.agreementStatus(), a.billingCycleName(), a.currencyCode(), a.startDate());
    }

    private void map(String partnerId, String subscriptionId, long agreementId) {
        mappings.mapIfUnmapped(partnerId, subscriptionId, agreementId);
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }
}
