package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.sync.AdvisoryLock;
import io.cwbridge.sync.MappingResolver;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Subscription → agreement mappings (R4). The agreement must exist, be active, and belong to the
 * company the subscription's customer is mapped to, when the events name that customer and it is
 * mapped: otherwise the customer's licences would be billed to another company. When the
 * subscription is known (events or import) the agreement must also be eligible (R5); without an
 * agreementId the company's only eligible agreement is used (R4). Eligibility is the pipeline's
 * own {@link MappingResolver}, so the workbench and the sync never disagree.
 */
@Service
public class SubscriptionMappings {

    private final MappingRepository mappings;
    private final PartnerConnectWise connectWise;
    private final EventSnapshots events;
    private final MappingEvents published;
    private final KnownSubscriptions known;
    private final MappingResolver resolver;
    private final MappingFailures failures;
    private final MapAndSync mapAndSync;
    private final NamedParameterJdbcTemplate jdbc;
    private final AdditionAdoption adoption;
    private final AdditionCandidates candidates;
    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Remap remap;
    private final AdditionCutover cutover;

    SubscriptionMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                         MappingEvents published, KnownSubscriptions known, MappingResolver resolver,
                         MappingFailures failures, MapAndSync mapAndSync, NamedParameterJdbcTemplate jdbc,
                         AdditionAdoption adoption, AdditionCandidates candidates, DataSource dataSource,
                         PlatformTransactionManager transactions, Remap remap, AdditionCutover cutover) {
        this.remap = remap;
        this.cutover = cutover;
        this.adoption = adoption;
        this.candidates = candidates;
        this.dataSource = dataSource;
        this.tx = new TransactionTemplate(transactions);
        this.mappings = mappings;
        this.connectWise = connectWise;
        this.events = events;
        this.published = published;
        this.known = known;
        this.resolver = resolver;
        this.failures = failures;
        this.mapAndSync = mapAndSync;
        this.jdbc = jdbc;
    }

    public SubscriptionMapping find(String partnerId, String subscriptionId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        return mappings.subscription(partnerId, subscriptionId)
                .map(m -> adoption.find(partnerId, subscriptionId).map(m::withAdoption).orElse(m))
                .map(m -> cutover.find(partnerId, subscriptionId).filter(cut -> remap.holdsBaseLine(partnerId, subscriptionId,
                        cut.baseAdditionId())).map(m::withCutover).orElse(m))
                .orElseThrow(() -> ApiProblems.notFound(
                        "Subscription " + subscriptionId + " of partner " + partnerId + " is not mapped."));
    }

    public SubscriptionMapping map(String partnerId, String subscriptionId, SubscriptionMappingRequest request) {
        return map(partnerId, subscriptionId, request, false);
    }

    /** Map; with {@code sync} the subscription's open tasks run at once (map &amp; sync). */
    public SubscriptionMapping map(String partnerId, String subscriptionId, SubscriptionMappingRequest request, boolean sync) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        ConnectWiseConnection c = connectWise.connection(partnerId);
        Optional<KnownSubscriptions.Known> subscription = known.one(partnerId, subscriptionId);
        Optional<String> customerId = events.customerOfSubscription(partnerId, subscriptionId);
        Optional<CustomerMapping> company = customerId.flatMap(id -> mappings.customer(partnerId, id));
        if (customerId.isPresent() && company.isEmpty()) {
            // R1 (v2): nothing of a customer syncs before the customer is mapped, so neither is its subscription mapped.
            throw MappingProblems.conflict("Subscription " + subscriptionId + " cannot be mapped: its customer "
                    + customerId.get() + " is not mapped to a company yet (R1). Map the customer first.",
                    "customerId", "customer " + customerId.get() + " is not mapped to a company (R1)",
                    Map.of("customerId", customerId.get()));
        }
        checkCutover(request);
        if (!request.adopts() && (request.description() != null || request.effectiveDate() != null || request.replaces())) {
            String field = request.description() != null ? "description" : request.effectiveDate() != null ? "effectiveDate" : "replace";
            throw ApiProblems.badRequest(field, "only with additionId (R6: adopting an existing addition)");
        }
        long agreementId = request.agreementId() != null ? request.agreementId()
                : defaultAgreement(c, subscriptionId, subscription, customerId, company);
        Agreement agreement = connectWise.agreement(c, agreementId);
        if (agreement.cancelledFlag() || "Cancelled".equals(agreement.agreementStatus())) {
            throw ApiProblems.badRequest("agreementId", "the agreement is cancelled in ConnectWise");
        }
        long agreementCompany = agreement.company() == null ? 0 : agreement.company().id();
        if (company.isPresent() && company.get().companyId() != agreementCompany) {
            throw ApiProblems.badRequest("agreementId", "the agreement belongs to company " + agreementCompany
                    + ", but the subscription's customer " + customerId.get() + " is mapped to company "
                    + company.get().companyId());
        }
        if (subscription.isPresent()) {
            Optional<String> refused = MappingResolver.ineligibility(agreement, subscription.get().subscription());
            if (refused.isPresent()) {
                throw ApiProblems.badRequest("agreementId", "agreement " + agreementId + " is not eligible: " + refused.get());
            }
        }
        // R8: a from date lies between the agreement's billing start and today, whether the subscription moves or stays
        // (on the same agreement it was stored as given: 2099-01-01, probe 43 §4)
        if (request.fromDate() != null) remap.fromDate(agreement, request.fromDate());
        // R8: already synced on another agreement: the move (A's lines end, B's base line from the move date) comes first.
        LocalDate savedFrom = request.fromDate();
        if (!request.adopts() && subscription.isPresent()) {
            List<Long> others = remap.otherAgreements(partnerId, subscriptionId, agreementId);
            if (others.size() > 1) {
                throw ApiProblems.badRequest("agreementId", "subscription " + subscriptionId + " has lines on agreements " + others
                        + "; it can be moved from one agreement only (R8)");
            }
            if (others.size() == 1) {
                LocalDate from = remap.fromDate(agreement, request.fromDate());
                Long catalog = candidates.catalogOf(partnerId, subscription.get()).orElse(null);
                try {
                    Remap.Move move = AdvisoryLock.with(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId),
                            () -> remap.move(c, partnerId, subscriptionId, subscription.get().subscription(), catalog, others.get(0), agreement, from));
                    savedFrom = move.movedOn();
                } catch (SQLException e) {
                    throw new IllegalStateException("Could not lock subscription " + subscriptionId, e);
                }
            }
        }
        // R6 cut-over: the hand-made addition ends, the bundle's own base line bills from the next invoice date.
        AdditionCutover.Cutover cut = request.cutsOver()
                ? cutover.resume(partnerId, subscriptionId, request.additionId())
                        .orElseGet(() -> cutOver(c, partnerId, subscriptionId, agreementId, agreement, subscription, request))
                : null;
        if (cut != null) savedFrom = cut.cutOn();
        LocalDate fromDateToSave = savedFrom;
        AdditionAdoption.Prepared adopted = request.adopts() && !request.cutsOver()
                ? adoption.prepare(c, partnerId, subscriptionId, agreement, subscription,
                        subscription.flatMap(k -> candidates.catalogOf(partnerId, k)), request)
                : null;
        // R6 x R10 replace: the earlier base lines stop where the adopted addition takes over (one base line a day)
        if (adopted != null && request.replaces()) adoption.endReplaced(c, partnerId, subscriptionId, agreement, adopted);
        // One transaction under the subscription's lock (the one its task runs hold): a waiting task
        // retried on MappingChanged finds the mapping and the adopted base line together, never one alone.
        SubscriptionMapping saved = locked(partnerId, subscriptionId, () -> {
            SubscriptionMapping row = mappings.saveSubscription(partnerId, subscriptionId, agreementId, fromDateToSave);
            row = adopted != null ? row.withAdoption(adoption.record(partnerId, subscriptionId, adopted, request.replaces()))
                    : adoption.find(partnerId, subscriptionId).map(row::withAdoption).orElse(row);
            row = cut != null ? row.withCutover(cut) : cutover.find(partnerId, subscriptionId)
                    .filter(recorded -> remap.holdsBaseLine(partnerId, subscriptionId, recorded.baseAdditionId()))
                    .map(row::withCutover).orElse(row);
            jdbc.update("DELETE FROM subscription_unmapped WHERE partner_id = :p AND subscription_id = :s",
                    Map.of("p", partnerId, "s", subscriptionId));
            failures.clear(partnerId, MappingChanged.SUBSCRIPTION, subscriptionId);
            published.changed(new MappingChanged(partnerId, MappingChanged.SUBSCRIPTION, subscriptionId, true));
            return row;
        });
        return sync ? saved.withTasks(mapAndSync.run(partnerId, List.of(subscriptionId))) : saved;
    }

    /** R6 cut-over: only with additionId; its dates are the agreement's, so fromDate / effectiveDate / replace are refused. */
    private static void checkCutover(SubscriptionMappingRequest request) {
        if (!request.cutsOver()) return;
        if (!request.adopts()) {
            throw new org.springframework.web.ErrorResponseException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(org.springframework.http.HttpStatus.BAD_REQUEST, "The request is invalid.", List.of(
                            new ApiProblems.FieldProblem("cutover", "only with additionId (R6: the hand-made addition to end)"),
                            new ApiProblems.FieldProblem("additionId", "is required with \"cutover\": true"))), null);
        }
        String why = "not with \"cutover\": true: the bundle's base line starts at the agreement's next invoice date (R6)";
        if (request.fromDate() != null) throw ApiProblems.badRequest("fromDate", why);
        if (request.effectiveDate() != null) throw ApiProblems.badRequest("effectiveDate", why);
        if (request.replaces()) throw ApiProblems.badRequest("replace", "not with \"cutover\": true: a subscription that already "
                + "has a base line has nothing to cut over to");
    }

    private AdditionCutover.Cutover cutOver(ConnectWiseConnection c, String partnerId, String subscriptionId, long agreementId,
                                            Agreement agreement, Optional<KnownSubscriptions.Known> subscription,
                                            SubscriptionMappingRequest request) {
        KnownSubscriptions.Known k = subscription.orElseThrow(() -> ApiProblems.badRequest("cutover", "subscription " + subscriptionId
                + " is not known from events or imports, so its licences and prices are unknown; import it first (R7)"));
        if (k.unreadable()) throw ApiProblems.badRequest("cutover", k.snapshotProblem());
        long catalog = candidates.catalogOf(partnerId, k).orElseThrow(() -> ApiProblems.badRequest("cutover", "product "
                + k.productId() + " of the subscription is not mapped to a catalog item (R2); map it first"));
        // The adoption's checks (the agreement's, the product's, active, nobody's, no base line yet); nothing patched.
        AdditionAdoption.Prepared handMade = adoption.check(c, partnerId, subscriptionId, agreement, subscription,
                Optional.of(catalog), request.additionId());
        return cutover.cutOver(c, partnerId, subscriptionId, agreement,
                new AdditionCutover.Request(agreementId, handMade, beforeWaitingChanges(partnerId, k), catalog, request.description()));
    }

    /**
     * The subscription as the cut-over's base line bills it: the licences before the first of its changes still waiting
     * to sync (the sale's count, or the first waiting change's previous quantity). Those tasks run after the cut-over and
     * each adds its own change (R11-R16); a base line with the latest count would bill every waiting change twice.
     */
    private io.cwbridge.events.Subscription beforeWaitingChanges(String partnerId, KnownSubscriptions.Known k) {
        List<Integer> first = jdbc.query("""
                SELECT CASE e.action WHEN 'NEW' THEN CAST(e.payload->'subscription'->>'quantity' AS integer)
                                     ELSE CAST(e.payload->'subscription'->>'previousQuantity' AS integer) END AS licences
                FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
                WHERE t.partner_id = :p AND t.subscription_id = :s AND t.status IN (:open)
                  AND e.action IN ('NEW', 'LICENSE_INCREASE', 'LICENSE_DECREASE')
                ORDER BY t.occurred_at, t.task_id LIMIT 1""",
                Map.of("p", partnerId, "s", k.subscriptionId(), "open", List.of(io.cwbridge.tasks.store.TaskStatus.PENDING.name(),
                        io.cwbridge.tasks.store.TaskStatus.NEEDS_MAPPING.name(), io.cwbridge.tasks.store.TaskStatus.AWAITING_APPROVAL.name())),
                (rs, n) -> (Integer) rs.getObject("licences"));
        Integer licences = first.isEmpty() ? null : first.get(0);
        return licences == null || licences.equals(k.subscription().quantity()) ? k.subscription()
                : k.subscription().withQuantity(licences);
    }

    /** R4: the only eligible agreement of the company the customer is mapped to; else the user must choose. */
    private long defaultAgreement(ConnectWiseConnection c, String subscriptionId, Optional<KnownSubscriptions.Known> subscription,
                                  Optional<String> customerId, Optional<CustomerMapping> company) {
        if (subscription.isEmpty()) {
            throw ApiProblems.badRequest("agreementId", "is required: subscription " + subscriptionId
                    + " is not known from events or imports, so no default agreement can be chosen (R4)");
        }
        if (company.isEmpty()) {
            throw ApiProblems.badRequest("agreementId", "is required: customer " + customerId.orElse("?")
                    + " is not mapped to a company (R1), so no default agreement can be chosen (R4)");
        }
        List<Agreement> eligible = eligible(c, company.get().companyId(), subscription.get());
        if (eligible.size() != 1) {
            throw ApiProblems.badRequest("agreementId", "is required: company " + company.get().companyId() + " has "
                    + eligible.size() + " eligible agreements " + eligible.stream().map(Agreement::id).toList()
                    + "; choose one (R4)");
        }
        return eligible.get(0).id();
    }

    /** The company's agreements that can take the subscription (R5). */
    List<Agreement> eligible(ConnectWiseConnection c, long companyId, KnownSubscriptions.Known subscription) {
        try {
            return resolver.eligibleAgreements(c, companyId, subscription.subscription());
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("list the company's agreements", e);
        }
    }

    /**
     * Unmaps the subscription; its additions in ConnectWise are left alone and no longer touched (no
     * R4 default either). An adopted addition (R6) is forgotten: it is no longer the subscription's line.
     */
    public void unmap(String partnerId, String subscriptionId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        locked(partnerId, subscriptionId, () -> {
            if (!mappings.deleteSubscription(partnerId, subscriptionId)) {
                throw ApiProblems.notFound("Subscription " + subscriptionId + " of partner " + partnerId + " is not mapped.");
            }
            adoption.forget(partnerId, subscriptionId);
            jdbc.update("""
                    INSERT INTO subscription_unmapped (partner_id, subscription_id) VALUES (:p, :s)
                    ON CONFLICT (partner_id, subscription_id) DO UPDATE SET unmapped_at = now()
                    """, Map.of("p", partnerId, "s", subscriptionId));
            published.changed(new MappingChanged(partnerId, MappingChanged.SUBSCRIPTION, subscriptionId, false));
            return null;
        });
    }

    /** Runs {@code work} in one transaction while holding the subscription's advisory lock. */
    private <T> T locked(String partnerId, String subscriptionId, java.util.function.Supplier<T> work) {
        try {
            return AdvisoryLock.with(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId), () -> tx.execute(s -> work.get()));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lock subscription " + subscriptionId, e);
        }
    }
}
