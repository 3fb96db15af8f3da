package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.AdditionDelivery;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.events.Subscription;
import io.cwbridge.rules.CutoverRule;
import io.cwbridge.rules.LineFields;
import io.cwbridge.sync.AdvisoryLock;
import io.cwbridge.sync.OperationLedger;
import io.cwbridge.syncrules.SyncRulesRepository;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Date;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * R6 {@code "cutover": true}: instead of adopting a hand-made addition, end it where the agreement
 * has invoiced it and bill the subscription from the next invoice date on a base line of the
 * bundle's own ({@link CutoverRule} says which days). Two writes to ConnectWise, so the cut-over is
 * planned before anything is sent (table subscription_cutover, both operations stored as
 * task_operation stores them) and each step is marked when done. A run interrupted between the two
 * (a crash, a ConnectWise failure) is finished by the next PUT or at start-up from the stored plan,
 * never planned anew; every write is safe to repeat (the create looks for what landed first, the end
 * is a replace, a delete accepts "already gone"). A finished cut-over answers a repeated PUT with
 * what it did and sends nothing.
 *
 * <p>Order: with an END the base line is written first (a refused create then changes nothing);
 * with a DELETE (never invoiced, R22) the hand-made addition goes first, since the base line takes
 * its very dates and the look-up before the create must not find the hand-made one.
 */
@Component
public class AdditionCutover {

    private static final Logger log = LoggerFactory.getLogger(AdditionCutover.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final AdditionDelivery delivery;
    private final OperationLedger ledger;
    private final SyncRulesRepository syncRules;
    private final DataSource dataSource;
    @org.springframework.beans.factory.annotation.Autowired // R17 (a field, to keep the constructor as it is)
    private io.cwbridge.sync.CatalogPrices catalogPrices;

    AdditionCutover(NamedParameterJdbcTemplate jdbc, AdditionDelivery delivery, OperationLedger ledger,
                    SyncRulesRepository syncRules, DataSource dataSource) {
        this.jdbc = jdbc;
        this.delivery = delivery;
        this.ledger = ledger;
        this.syncRules = syncRules;
        this.dataSource = dataSource;
    }

    /** The cut-over as the mapping shows it. */
    @Schema(name = "Cutover", description = "R6 cut-over: the hand-made addition ended (or deleted) and the bundle's base line from the cut day")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cutover(
            @Schema(description = "The hand-made addition") long endedAdditionId,
            @Schema(description = "END (cancelled the day before cutOn), DELETE (never invoiced, R22) or KEEP (it ended before)")
            String handMade,
            @Schema(description = "Its cancelled date after the cut-over, with END") LocalDate endedOn,
            @Schema(description = "First day of the bundle's base line: the agreement's next invoice date, or the hand-made "
                    + "addition's effective date when it was never invoiced; the subscription's start when that is later (R25)")
            LocalDate cutOn,
            @Schema(description = "The bundle's base line, once written") Long baseAdditionId,
            String lineKey,
            @Schema(description = "PLANNED, BASE_DONE (only the base line written: finished by the next PUT or at start-up), DONE")
            String status,
            Instant requestedAt) {}

    /** The hand-made addition checked by {@link AdditionAdoption#prepare} (no patch) and the subscription it is for. */
    record Request(long agreementId, AdditionAdoption.Prepared handMade, Subscription subscription, long catalogItemId,
                   String description) {}

    /** The subscription's cut-over, if any. */
    Optional<Cutover> find(String partnerId, String subscriptionId) {
        return jdbc.query("""
                SELECT ended_addition_id, hand_made_action, end_request::text AS end_request, cut_on, base_addition_id, line_key,
                    status, requested_at
                FROM subscription_cutover WHERE partner_id = :p AND subscription_id = :s""",
                Map.of("p", partnerId, "s", subscriptionId), (rs, n) -> {
                    String action = rs.getString("hand_made_action");
                    LocalDate cut = rs.getDate("cut_on").toLocalDate();
                    // the stored end (the day before the cut day N); the base line may start later, on the subscription's start
                    String endRequest = rs.getString("end_request");
                    LocalDate ended = !"END".equals(action) ? null
                            : endRequest != null ? ledger.read(endRequest).fields().cancelledDate() : cut.minusDays(1);
                    long base = rs.getLong("base_addition_id");
                    return new Cutover(rs.getLong("ended_addition_id"), action, ended,
                            cut, rs.wasNull() ? null : base, rs.getString("line_key"), rs.getString("status"),
                            rs.getTimestamp("requested_at").toInstant());
                }).stream().findFirst();
    }

    /**
     * The cut-over already recorded for the subscription, finished if it was interrupted; empty when
     * there is none. 409 when it was from another addition than {@code additionId}.
     */
    Optional<Cutover> resume(String partnerId, String subscriptionId, long additionId) {
        Optional<Cutover> recorded = find(partnerId, subscriptionId);
        if (recorded.isEmpty()) return recorded;
        if (recorded.get().endedAdditionId() != additionId) throw cutOverFromAnother(subscriptionId, recorded.get());
        return Optional.of(locked(partnerId, subscriptionId, () -> finish(partnerId, subscriptionId)));
    }

    private static org.springframework.web.ErrorResponseException cutOverFromAnother(String subscriptionId, Cutover recorded) {
        return MappingProblems.conflict("Subscription " + subscriptionId + " was cut over from addition "
                + recorded.endedAdditionId() + " already; it bills on the bundle's base line from " + recorded.cutOn() + ".",
                "additionId", "the subscription was cut over from addition " + recorded.endedAdditionId(), Map.of("cutover", recorded));
    }

    /** Plans the cut-over (R6) and carries it out, under the subscription's lock. */
    Cutover cutOver(ConnectWiseConnection c, String partnerId, String subscriptionId, Agreement agreement, Request r) {
        LocalDate next = agreement.nextInvoiceDate();
        String description = r.description() != null ? r.description()
                : r.handMade().description() != null ? r.handMade().description()
                : (r.subscription().product().plan() != null ? r.subscription().product().plan() : r.subscription().product().name())
                        + " – " + subscriptionId;
        CutoverRule.Plan plan;
        io.cwbridge.rules.SyncRules rules = syncRules.additionRules(partnerId);
        // R17: with price source CONNECTWISE_CATALOG the base line carries the catalog item's price and cost
        io.cwbridge.events.Subscription priced = catalogPrices.pricedBy(rules, r.subscription(), c, r.catalogItemId());
        try {
            plan = CutoverRule.plan(next, r.handMade().effectiveDate(), r.handMade().cancelledDate(), priced,
                    rules, r.catalogItemId(), description);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest("cutover", e.getMessage());
        }
        LineFields f = plan.base();
        AdditionOperation create = AdditionOperation.create(r.agreementId(), new AdditionFields(f.catalogItemId(), f.quantity(),
                f.unitPrice(), f.unitCost(), f.effectiveDate(), f.cancelledDate(), false, f.description(), null, f.billCustomer()));
        long handMade = r.handMade().additionId();
        AdditionOperation end = switch (plan.handMade()) {
            case END -> AdditionOperation.update(r.agreementId(), handMade, new AdditionFields(null, null, null, null, null,
                    plan.handMadeEnds(), false, null, null, null));
            case DELETE -> AdditionOperation.delete(r.agreementId(), handMade);
            case KEEP -> null;
        };
        return locked(partnerId, subscriptionId, () -> {
            Map<String, Object> params = new HashMap<>();
            params.put("p", partnerId);
            params.put("s", subscriptionId);
            params.put("ag", r.agreementId());
            params.put("a", handMade);
            params.put("action", plan.handMade().name());
            params.put("cut", Date.valueOf(plan.cutOn()));
            params.put("k", subscriptionId + "/BASE/" + plan.cutOn());
            params.put("base", ledger.write(create));
            params.put("end", end == null ? null : ledger.write(end));
            params.put("oc", r.handMade().cancelledDate() == null ? null : Date.valueOf(r.handMade().cancelledDate()));
            // A second request that got here first wins; this one then finishes (or reports) what it planned.
            jdbc.update("""
                    INSERT INTO subscription_cutover (partner_id, subscription_id, agreement_id, ended_addition_id, hand_made_action,
                        cut_on, line_key, base_request, end_request, original_cancelled)
                    VALUES (:p, :s, :ag, :a, :action, :cut, :k, CAST(:base AS jsonb), CAST(:end AS jsonb), CAST(:oc AS DATE))
                    ON CONFLICT (partner_id, subscription_id) DO NOTHING""", params);
            Long recorded = jdbc.queryForObject(
                    "SELECT ended_addition_id FROM subscription_cutover WHERE partner_id = :p AND subscription_id = :s", params, Long.class);
            if (recorded != null && recorded != handMade) throw cutOverFromAnother(subscriptionId, find(partnerId, subscriptionId).orElseThrow());
            return finish(partnerId, subscriptionId);
        });
    }

    /** Start-up: cut-overs a crash left half done are finished from their stored plan. */
    @EventListener(ApplicationReadyEvent.class)
    void finishInterrupted() {
        List<Map<String, Object>> open = jdbc.queryForList(
                "SELECT partner_id, subscription_id FROM subscription_cutover WHERE status <> 'DONE'", Map.of());
        for (Map<String, Object> row : open) {
            String partnerId = (String) row.get("partner_id");
            String subscriptionId = (String) row.get("subscription_id");
            try {
                Cutover done = locked(partnerId, subscriptionId, () -> finish(partnerId, subscriptionId));
                log.info("Cut-over of subscription {} (partner {}) finished at start-up: {}", subscriptionId, partnerId, done.status());
            } catch (RuntimeException e) {
                log.warn("Cut-over of subscription {} (partner {}) is still unfinished: {}", subscriptionId, partnerId, e.getMessage());
            }
        }
    }

    /** Carries out what is not done yet of the recorded plan; the caller holds the subscription's lock. */
    private Cutover finish(String partnerId, String subscriptionId) {
        Map<String, Object> params = Map.of("p", partnerId, "s", subscriptionId);
        Map<String, Object> row = jdbc.queryForMap("""
                SELECT hand_made_action, line_key, base_request::text AS base, end_request::text AS "end", status
                FROM subscription_cutover WHERE partner_id = :p AND subscription_id = :s""", params);
        String status = (String) row.get("status");
        if ("DONE".equals(status)) return find(partnerId, subscriptionId).orElseThrow();
        AdditionOperation create = ledger.read((String) row.get("base"));
        AdditionOperation end = row.get("end") == null ? null : ledger.read((String) row.get("end"));
        boolean deleteFirst = end != null && end.kind() == AdditionOperation.Kind.DELETE;
        try {
            if (deleteFirst && "PLANNED".equals(status)) {
                delivery.deliver(partnerId, end, true);
                jdbc.update("UPDATE subscription_cutover SET status = 'ENDED' WHERE partner_id = :p AND subscription_id = :s", params);
                status = "ENDED";
            }
            if ("PLANNED".equals(status) || "ENDED".equals(status)) {
                // verifyFirst: an earlier run may have created it without recording it.
                AdditionDelivery.DeliveryResult created = delivery.deliver(partnerId, create, true);
                ledger.recordLine(partnerId, subscriptionId, (String) row.get("line_key"), create, created.additionId(),
                        created.addition(), null);
                String next = deleteFirst || end == null ? "DONE" : "BASE_DONE";
                jdbc.update("""
                        UPDATE subscription_cutover SET base_addition_id = :b, status = :st,
                            done_at = CASE WHEN CAST(:st AS text) = 'DONE' THEN now() END
                        WHERE partner_id = :p AND subscription_id = :s""",
                        Map.of("p", partnerId, "s", subscriptionId, "b", created.additionId(), "st", next));
                status = next;
            }
            if ("BASE_DONE".equals(status)) {
                delivery.deliver(partnerId, end, true);
                jdbc.update("UPDATE subscription_cutover SET status = 'DONE', done_at = now() WHERE partner_id = :p AND subscription_id = :s",
                        params);
            }
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("cut subscription " + subscriptionId + " over (R6; what was done is kept, "
                    + "a repeated PUT finishes it)", e);
        }
        return find(partnerId, subscriptionId).orElseThrow();
    }

    private <T> T locked(String partnerId, String subscriptionId, java.util.function.Supplier<T> work) {
        try {
            return AdvisoryLock.with(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId), work::get);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lock subscription " + subscriptionId, e);
        }
    }
}
