package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.events.Subscription;
import io.cwbridge.connectwise.model.ItemReference;
import io.cwbridge.sync.SubscriptionLineRepository;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.mapping.KnownSubscriptions.Known;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * R6: an existing addition (typed by hand before the partner connected) becomes a subscription's
 * base line, so the sales order (R25) finds it and never writes a second one. The addition must be
 * the agreement's, carry the subscription's catalog item (when its product is mapped), be active
 * (not cancelled before today) and be owned by no other subscription. Its description and effective
 * date are its own unless the request gives others, which are written to ConnectWise (JSON Patch).
 *
 * <p>The adoption is recorded where the pipeline keeps which addition holds which line
 * (subscription_line, key {@code sub/BASE/<effective date>}) and in subscription_adoption, which
 * says it was adopted: unmap forgets it, a second adoption replaces it only when asked.
 */
@Component
public class AdditionAdoption {

    private final PartnerConnectWise connectWise;
    private final ConnectWiseClient client;
    private final AdditionCandidates candidates;
    private final SubscriptionLineRepository lines;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    AdditionAdoption(PartnerConnectWise connectWise, AdditionCandidates candidates, SubscriptionLineRepository lines,
                     NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.connectWise = connectWise;
        this.client = connectWise.resources().client();
        this.candidates = candidates;
        this.lines = lines;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The subscription's adopted base line, as the mapping shows it. */
    @Schema(description = "R6: the existing addition adopted as the subscription's base line")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Adoption(
            long additionId,
            @Schema(description = "The line the pipeline knows it as", example = "sub-1/BASE/2024-02-14") String lineKey,
            String description,
            LocalDate effectiveDate,
            Instant adoptedAt,
            @Schema(description = "Only in the answer to the PUT: the fields written to ConnectWise (description, effectiveDate)")
            List<String> patched,
            @Schema(description = "Only in the answer to the PUT with replace=true: the earlier base lines, which stop the day "
                    + "before this addition's effective date (cancelled, or deleted when never invoiced)")
            List<Long> replaced) {}

    /** A checked (and, when asked, patched) addition, ready to be recorded. */
    record Prepared(long agreementId, long additionId, String lineKey, String description, LocalDate effectiveDate,
                    String originalDescription, LocalDate originalEffectiveDate, List<String> patched, LocalDate cancelledDate) {}

    /** A base line the subscription already has. */
    record BaseLine(long additionId, String lineKey, boolean adopted, long agreementId) {}

    /**
     * Checks the addition and writes a changed description / effective date to ConnectWise. Nothing
     * is recorded yet ({@link #record} does, under the subscription's lock).
     */
    Prepared prepare(ConnectWiseConnection c, String partnerId, String subscriptionId, Agreement agreement,
                     Optional<Known> subscription, Optional<Long> catalogItemId, SubscriptionMappingRequest request) {
        return prepare(c, partnerId, subscriptionId, agreement, subscription, catalogItemId, request, true);
    }

    /**
     * The cut-over's checks of the hand-made addition (the agreement's, the product's, active, nobody's, no base line
     * yet); nothing is patched, its dates are the cut-over's (R6).
     */
    Prepared check(ConnectWiseConnection c, String partnerId, String subscriptionId, Agreement agreement,
                   Optional<Known> subscription, Optional<Long> catalogItemId, long additionId) {
        return prepare(c, partnerId, subscriptionId, agreement, subscription, catalogItemId,
                new SubscriptionMappingRequest(agreement.id(), null, additionId, null, null, null), false);
    }

    private Prepared prepare(ConnectWiseConnection c, String partnerId, String subscriptionId, Agreement agreement,
                             Optional<Known> subscription, Optional<Long> catalogItemId, SubscriptionMappingRequest request,
                             boolean adopting) {
        long agreementId = agreement.id();
        long additionId = request.additionId();
        String path = "finance/agreements/" + agreementId + "/additions/" + additionId;
        AgreementAddition addition;
        try {
            addition = connectWise.additions().one(c, agreementId, additionId);
        } catch (ConnectWiseException e) {
            if (e.status() == 404) {
                throw ApiProblems.badRequest("additionId", "agreement " + agreementId + " has no addition " + additionId
                        + " in ConnectWise");
            }
            throw MappingProblems.connectWise("read the addition", e);
        }
        checkOwner(partnerId, subscriptionId, additionId);
        Long product = addition.catalogItemId();
        if (subscription.isPresent() && catalogItemId.isEmpty()) {
            // R2 first: unchecked, an addition of another catalog item would bill the subscription as another product
            throw ApiProblems.badRequest("additionId", "product " + subscription.get().productId() + " of the subscription is not"
                    + " mapped to a catalog item (R2); map it first, so the addition's catalog item can be checked against it");
        }
        if (catalogItemId.isPresent() && !catalogItemId.get().equals(product)) {
            throw ApiProblems.badRequest("additionId", "addition " + additionId + " is catalog item " + product
                    + describe(addition.product()) + ", but product " + subscription.map(Known::productId).orElse("?")
                    + " of the subscription is mapped to catalog item " + catalogItemId.get());
        }
        LocalDate cancelled = addition.cancelledDate();
        if (cancelled != null && cancelled.isBefore(LocalDate.now(clock))) {
            throw ApiProblems.badRequest("additionId", "addition " + additionId + " was cancelled on " + cancelled
                    + "; only an active addition can become the base line");
        }
        if (!request.replaces()) {
            List<BaseLine> others = baseLines(partnerId, subscriptionId).stream().filter(b -> b.additionId() != additionId).toList();
            if (!others.isEmpty()) throw alreadyHasBase(subscriptionId, others);
        }

        String ownDescription = addition.description();
        LocalDate ownEffective = addition.effectiveDate();
        List<JsonPatchOperation> patch = new ArrayList<>();
        List<String> patched = new ArrayList<>();
        if (request.description() != null && !request.description().equals(ownDescription)) {
            patch.add(JsonPatchOperation.replace("description", request.description()));
            patched.add("description");
        }
        LocalDate effectiveDate = adopting ? effectiveDate(agreement, subscription, additionId, ownEffective, request.effectiveDate())
                : null;
        if (effectiveDate != null && !effectiveDate.equals(ownEffective)) {
            patch.add(JsonPatchOperation.replace("effectiveDate", effectiveDate + "T00:00:00Z"));
            patched.add("effectiveDate");
        }
        // R6 x R25 x R10 (probe 56, probe 47 F10's other path): an addition typed to end before the subscription is dated at
        // the subscription's end here too, as the sale does (SalesOrderRule): adopted with no event to follow (an import
        // without onboarding), it kept its early end and the rest of the term billed nothing (112.00). A later end and a
        // cancelled subscription are left to the sale, the renewal (R23) and the cancellation (R21).
        LocalDate subscriptionEnd = adopting ? activeEnd(subscription) : null;
        if (subscriptionEnd != null && cancelled != null && cancelled.isBefore(subscriptionEnd)) {
            patch.add(JsonPatchOperation.replace("cancelledDate", subscriptionEnd + "T00:00:00Z"));
            patched.add("cancelledDate");
        }
        AgreementAddition now = addition;
        if (!patch.isEmpty()) {
            try {
                now = connectWise.resources().addition(client.patch(c, path, patch));
            } catch (ConnectWiseException e) {
                if (e.status() == 400) throw refused(e, patched, additionId);
                throw MappingProblems.connectWise("update the addition", e);
            }
        }
        LocalDate effective = now.effectiveDate();
        if (effective == null) {
            throw ApiProblems.badRequest("effectiveDate", "addition " + additionId + " has no effective date; give one");
        }
        return new Prepared(agreementId, additionId, subscriptionId + "/BASE/" + effective, now.description(),
                effective, ownDescription, ownEffective, List.copyOf(patched), now.cancelledDate());
    }

    /** The end of a known, active subscription (null when unknown, cancelled or open). */
    private static LocalDate activeEnd(Optional<Known> subscription) {
        Subscription sub = subscription.filter(k -> !k.unreadable()).map(Known::subscription).orElse(null);
        if (sub == null || (sub.status() != null && !"ACTIVE".equals(sub.status()))) return null;
        return sub.endDate();
    }

    /**
     * The effective date the adopted addition gets (null: its own stays), refused (400 on {@code effectiveDate}) when it
     * would bill days the subscription does not have or change a period ConnectWise has invoiced:
     * <ul>
     * <li>R6 x R10 (probe 47 F3): a date given must lie within the subscription's term, from its start to its end (before
     *     the start it bills days before the subscription existed: 15 January for a 5 April start billed 59.00);</li>
     * <li>R6 x R27 (probe 47 F2): on an agreement that does not prorate and invoice prorated additions, a date given must
     *     not lie before its next invoice date N: ConnectWise never bills the days before N again (17 March days, 48.26,
     *     were billed nowhere), and the bundle has no task to carry them as a catch-up; nor before its billing start;</li>
     * <li>the default (the addition's own date) before the subscription's start is moved to the start when the addition
     *     was never invoiced; an invoiced one keeps its date when every day before the start is invoiced already (its
     *     next days are the subscription's), and is refused when it would still bill days between N and the start
     *     (ConnectWise takes no new effective date of an invoiced addition: a cut-over ends it and bills from the
     *     start); an addition starting after the subscription's end is refused.</li>
     * </ul>
     */
    private static LocalDate effectiveDate(Agreement agreement, Optional<Known> subscription, long additionId,
                                           LocalDate own, LocalDate wanted) {
        io.cwbridge.rules.AgreementBilling billing = io.cwbridge.sync.MappingResolver.billing(agreement);
        Subscription sub = subscription.filter(k -> !k.unreadable()).map(Known::subscription).orElse(null);
        LocalDate start = sub == null ? null : sub.startDate();
        LocalDate end = sub == null ? null : sub.endDate();
        String whose = sub == null ? "" : "subscription " + sub.id();
        if (wanted != null) {
            if (start != null && wanted.isBefore(start)) {
                throw ApiProblems.badRequest("effectiveDate", wanted + " lies before the start " + start + " of " + whose
                        + ": addition " + additionId + " would bill days before the subscription existed (R6, R10); give "
                        + start + " or later");
            }
            if (end != null && wanted.isAfter(end)) {
                throw ApiProblems.badRequest("effectiveDate", wanted + " lies after the end " + end + " of " + whose
                        + " (R6, R10); give a date from " + (start != null ? start : "its start") + " to " + end);
            }
            if (wanted.equals(own)) return wanted;
            LocalDate billingStart = agreement.billingStart();
            if (billingStart != null && wanted.isBefore(billingStart)) {
                throw ApiProblems.badRequest("effectiveDate", wanted + " lies before the billing start " + billingStart
                        + " of agreement " + agreement.id() + " (R13); give " + billingStart + " or later");
            }
            if (!billing.keepsDates() && billing.invoiced(wanted)) {
                throw ApiProblems.badRequest("effectiveDate", wanted + " falls in a period ConnectWise has invoiced (next invoice"
                        + " date " + billing.nextInvoiceDate() + ") and agreement " + agreement.id() + " does not prorate and"
                        + " invoice prorated additions (R27): ConnectWise would never bill the days from " + wanted + " to "
                        + billing.nextInvoiceDate().minusDays(1) + "; give " + billing.nextInvoiceDate() + " or later (the days"
                        + " before it stay as invoiced)");
            }
            return wanted;
        }
        if (own == null || sub == null) return null;
        if (end != null && own.isAfter(end)) {
            throw ApiProblems.badRequest("effectiveDate", "addition " + additionId + " starts on " + own + ", after the end "
                    + end + " of " + whose + "; it cannot be its base line (R6, R10)");
        }
        if (start == null || !own.isBefore(start)) return null;
        if (!billing.invoiced(own)) return start; // never invoiced: it bills from the subscription's start (R10)
        if (billing.invoiced(start.minusDays(1))) return null; // every day before the start is invoiced already
        throw ApiProblems.badRequest("effectiveDate", "addition " + additionId + " bills from " + own + " and is invoiced up to "
                + billing.nextInvoiceDate().minusDays(1) + ", so ConnectWise takes no new effective date for it (R26); it"
                + " would still bill " + billing.nextInvoiceDate() + " to " + start.minusDays(1) + ", before " + whose
                + " starts on " + start + " (R6, R10): send \"cutover\": true (it ends " + billing.nextInvoiceDate().minusDays(1)
                + ", the bundle's base line bills from " + start + ")");
    }

    /**
     * R6 x R10 replace (probe 47 F6: the old base line kept billing next to the adopted one, 528.00 after a cancellation):
     * the subscription's earlier base lines stop where the adopted addition takes over, its effective date T: cancelled
     * T − 1, deleted when that leaves them no day and they were never invoiced (R22); on an agreement that does not
     * prorate and invoice prorated additions an invoiced line ends no earlier than N − 1 (R27: the days before N stay as
     * invoiced). Called before the adoption is recorded; a repeated request finds them ended (or gone) already.
     * Answers what was done, one text per line.
     */
    List<String> endReplaced(ConnectWiseConnection c, String partnerId, String subscriptionId, Agreement adoptedOn,
                             Prepared adopted) {
        List<String> done = new ArrayList<>();
        LocalDate takesOver = adopted.effectiveDate();
        for (BaseLine old : baseLines(partnerId, subscriptionId)) {
            if (old.additionId() == adopted.additionId()) continue;
            long agreementId = old.agreementId();
            io.cwbridge.rules.AgreementBilling billing = io.cwbridge.sync.MappingResolver.billing(
                    agreementId == adoptedOn.id() ? adoptedOn : connectWise.agreement(c, agreementId));
            String path = "finance/agreements/" + agreementId + "/additions/" + old.additionId();
            AgreementAddition line;
            try {
                line = connectWise.additions().one(c, agreementId, old.additionId());
            } catch (ConnectWiseException e) {
                if (e.status() == 404) continue; // deleted already (a repeated request)
                throw MappingProblems.connectWise("read the replaced base line " + old.additionId(), e);
            }
            LocalDate effective = line.effectiveDate();
            LocalDate cancelled = line.cancelledDate();
            LocalDate ends = takesOver.minusDays(1);
            boolean invoiced = effective != null && billing.invoiced(effective);
            if (invoiced && !billing.keepsDates() && billing.invoiced(ends)) ends = billing.nextInvoiceDate().minusDays(1);
            if (cancelled != null && !cancelled.isAfter(ends)) continue; // it stops before the adopted line bills
            try {
                if (effective != null && ends.isBefore(effective) && !invoiced) {
                    client.delete(c, path);
                    done.add("base line " + old.additionId() + " deleted (never invoiced, R22): addition " + adopted.additionId()
                            + " bills from " + takesOver);
                } else {
                    if (effective != null && ends.isBefore(effective)) ends = billing.nextInvoiceDate().minusDays(1);
                    client.patch(c, path, List.of(JsonPatchOperation.replace("cancelledDate", ends + "T00:00:00Z")));
                    done.add("base line " + old.additionId() + " cancelled " + ends + ": addition " + adopted.additionId()
                            + " bills from " + takesOver);
                }
            } catch (ConnectWiseException e) {
                if (e.status() == 404) continue;
                throw MappingProblems.connectWise("end the replaced base line " + old.additionId()
                        + " (R6 replace; nothing is recorded, a repeated request carries on)", e);
            }
        }
        return done;
    }

    /**
     * Records the adoption (the caller holds the subscription's lock, in a transaction): the line in
     * subscription_line, the adoption itself; with replace the earlier base lines are forgotten.
     */
    Adoption record(String partnerId, String subscriptionId, Prepared p, boolean replace) {
        // Checked again under the lock: a task or another adoption may have got there since.
        checkOwner(partnerId, subscriptionId, p.additionId());
        List<BaseLine> existing = baseLines(partnerId, subscriptionId);
        List<BaseLine> others = existing.stream().filter(b -> b.additionId() != p.additionId()).toList();
        if (!others.isEmpty() && !replace) throw alreadyHasBase(subscriptionId, others);
        Map<String, Object> params = new HashMap<>();
        params.put("p", partnerId);
        params.put("s", subscriptionId);
        for (BaseLine b : existing) lines.forget(partnerId, subscriptionId, b.lineKey());
        jdbc.update("DELETE FROM subscription_adoption WHERE partner_id = :p AND subscription_id = :s", params);
        params.put("k", p.lineKey());
        params.put("ag", p.agreementId());
        params.put("a", p.additionId());
        params.put("d", p.description());
        params.put("e", Date.valueOf(p.effectiveDate()));
        params.put("od", p.originalDescription());
        params.put("oe", p.originalEffectiveDate() == null ? null : Date.valueOf(p.originalEffectiveDate()));
        lines.add(partnerId, subscriptionId, p.lineKey(), p.agreementId(), p.additionId());
        Instant adoptedAt = jdbc.queryForObject("""
                INSERT INTO subscription_adoption (partner_id, subscription_id, agreement_id, addition_id, line_key, description,
                    effective_date, original_description, original_effective)
                VALUES (:p, :s, :ag, :a, :k, :d, :e, :od, CAST(:oe AS DATE))
                RETURNING adopted_at""", params, (rs, n) -> rs.getTimestamp(1).toInstant());
        return new Adoption(p.additionId(), p.lineKey(), p.description(), p.effectiveDate(), adoptedAt, p.patched(),
                replace ? others.stream().map(BaseLine::additionId).toList() : null);
    }

    /** The subscription's adoption, if any. */
    Optional<Adoption> find(String partnerId, String subscriptionId) {
        return jdbc.query("""
                SELECT addition_id, line_key, description, effective_date, adopted_at FROM subscription_adoption
                WHERE partner_id = :p AND subscription_id = :s""", Map.of("p", partnerId, "s", subscriptionId),
                (rs, n) -> new Adoption(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getDate(4).toLocalDate(),
                        rs.getTimestamp(5).toInstant(), null, null)).stream().findFirst();
    }

    /** Unmap: the adopted addition is forgotten (no longer touched); true when there was one. */
    boolean forget(String partnerId, String subscriptionId) {
        Map<String, Object> params = Map.of("p", partnerId, "s", subscriptionId);
        lines.forgetAdopted(partnerId, subscriptionId);
        return jdbc.update("DELETE FROM subscription_adoption WHERE partner_id = :p AND subscription_id = :s", params) > 0;
    }

    /** The subscription's base lines: written by the bundle (R25) or adopted. */
    List<BaseLine> baseLines(String partnerId, String subscriptionId) {
        String prefix = subscriptionId + "/BASE/";
        return jdbc.query("""
                SELECT l.line_key, l.addition_id, l.agreement_id, a.addition_id IS NOT NULL AS adopted FROM subscription_line l
                LEFT JOIN subscription_adoption a ON a.partner_id = l.partner_id AND a.subscription_id = l.subscription_id
                     AND a.addition_id = l.addition_id
                WHERE l.partner_id = :p AND l.subscription_id = :s ORDER BY l.line_key""",
                Map.of("p", partnerId, "s", subscriptionId),
                (rs, n) -> new BaseLine(rs.getLong("addition_id"), rs.getString("line_key"), rs.getBoolean("adopted"),
                        rs.getLong("agreement_id")))
                .stream().filter(b -> b.lineKey().startsWith(prefix)).toList();
    }

    private void checkOwner(String partnerId, String subscriptionId, long additionId) {
        String owner = candidates.owners(partnerId, List.of(additionId)).get(additionId);
        if (subscriptionId.equals(owner)) {
            boolean base = baseLines(partnerId, subscriptionId).stream().anyMatch(b -> b.additionId() == additionId);
            if (base) return; // adopted again (e.g. to change its description): it stays the base line
            throw ApiProblems.badRequest("additionId", "addition " + additionId + " is already another line of subscription "
                    + subscriptionId + " (not its base line)");
        }
        if (owner != null) {
            throw MappingProblems.conflict("Addition " + additionId + " is already a line of subscription " + owner
                    + "; it cannot be the base line of subscription " + subscriptionId + " too.",
                    "additionId", "owned by subscription " + owner, Map.of("owner", Map.of("subscriptionId", owner)));
        }
    }

    private static ErrorResponseException alreadyHasBase(String subscriptionId, List<BaseLine> lines) {
        List<Map<String, Object>> listed = lines.stream().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("additionId", b.additionId());
            m.put("lineKey", b.lineKey());
            m.put("adopted", b.adopted());
            return m;
        }).toList();
        String which = lines.stream().map(b -> b.additionId() + (b.adopted() ? " (adopted)" : " (written by the bundle)"))
                .reduce((a, b) -> a + ", " + b).orElse("");
        return MappingProblems.conflict("Subscription " + subscriptionId + " already has its base line: addition " + which
                + "; send \"replace\": true to adopt this addition instead (the old one then stops the day before this one's"
                + " effective date: cancelled, or deleted when it was never invoiced, R6/R10/R22; to give back an adopted"
                + " addition untouched, unmap the subscription first).",
                "additionId", "the subscription already has base line " + which, Map.of("baseLines", listed));
    }

    /** ConnectWise refused the patch (e.g. an invoiced period): a field problem on what was changed. */
    private static ErrorResponseException refused(ConnectWiseException e, List<String> patched, long additionId) {
        List<ApiProblems.FieldProblem> problems = new ArrayList<>();
        for (String field : patched) {
            boolean named = e.errors() != null && e.errors().stream().anyMatch(f -> field.equals(f.field()));
            boolean anyNamed = e.errors() != null && e.errors().stream().anyMatch(f -> patched.contains(f.field()));
            if (named || !anyNamed) {
                problems.add(new ApiProblems.FieldProblem(field, "ConnectWise refused to change addition " + additionId
                        + ": " + e.describe()));
            }
        }
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", problems), null);
    }

    private static String describe(ItemReference ref) {
        String identifier = ref == null ? null : ref.identifier();
        return identifier == null ? "" : " (" + identifier + ")";
    }
}
