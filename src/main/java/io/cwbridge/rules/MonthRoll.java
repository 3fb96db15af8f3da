package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * R18 month roll, run by the global sync: once a delta line's cancellation date (the end of its
 * month) has passed, the base line takes its quantity from the next day on, so R10 keeps holding
 * after the delta ends. The change is carried into every later stretch of the base as well.
 *
 * <p>Stateless and idempotent: at each boundary b (a delta end before today) the base quantity on
 * b + 1 must equal the base on b plus the deltas ending on b; only the missing part is added. Deltas
 * are absorbed by the base of their own product (catalog item), so an old product's deltas do not
 * flow into the new product's base after a full upgrade.
 *
 * <p>How the base takes the new quantity (our decision, to keep R10 for past days): a base line that
 * starts on b + 1 is updated in place; a base line that started earlier is ended on b and continued
 * by a new base line from b + 1 with the new quantity — changing the old line in place would
 * re-bill the month already covered by the delta (double count) and is refused anyway once invoiced
 * (R26).
 */
public final class MonthRoll {

    private MonthRoll() {
    }

    /** The roll due on {@code today} for these lines (empty plan with a note when nothing is due). */
    public static AdditionPlan plan(SubscriptionLines lines, long agreementId, LocalDate today) {
        return plan(lines, agreementId, today, AgreementBilling.unknown());
    }

    /**
     * The roll due on {@code today} on an agreement that invoices as {@code billing} says: lines are
     * judged invoiced by its next invoice date (R22) and kept out of invoiced periods (R27), the
     * part of the roll that falls into them becoming catch-up amounts.
     */
    public static AdditionPlan plan(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing) {
        return plan(lines, agreementId, today, billing, SyncRules.ProrationRule.CONNECTWISE, io.cwbridge.events.BillingCycle.MONTHLY, null);
    }

    /**
     * As {@link #plan(SubscriptionLines, long, LocalDate, AgreementBilling)}, for a subscription billed by {@code cycle} in
     * {@code currency} under the partner's {@code proration} rule: R17a, a continuation of the base that starts inside a
     * billing period (the first of a month inside a yearly agreement's year, counted from its billing start) carries the
     * prorated amounts under MARKETPLACE on an agreement that does not prorate, as a task's lines do.
     */
    public static AdditionPlan plan(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing,
                                    SyncRules.ProrationRule proration, io.cwbridge.events.BillingCycle cycle, String currency) {
        return plan(lines, agreementId, today, billing, proration, cycle, currency, null);
    }

    /**
     * The unit price and cost a new line of {@code catalogItemId} takes (null: the line it continues keeps its own): under
     * price source CONNECTWISE_CATALOG its catalog item's current ones (R17), also for a field the rules do not sync (a new
     * line carries the catalog's explicitly then); a null field is the continued line's.
     */
    public record CurrentPrice(Long catalogItemId, BigDecimal unitPrice, BigDecimal unitCost) {}

    /**
     * As {@link #plan(SubscriptionLines, long, LocalDate, AgreementBilling, SyncRules.ProrationRule, io.cwbridge.events.BillingCycle,
     * String)}, the continuation of the base taking {@code current}'s unit price and cost (R17 CONNECTWISE_CATALOG x R18,
     * probe 45 F4: the roll copied the old base's 30.00 after the catalog said 32.00).
     */
    public static AdditionPlan plan(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing,
                                    SyncRules.ProrationRule proration, io.cwbridge.events.BillingCycle cycle, String currency,
                                    CurrentPrice current) {
        return plan(lines, agreementId, today, billing, proration, cycle, currency, current, null);
    }

    /**
     * As {@link #plan(SubscriptionLines, long, LocalDate, AgreementBilling, SyncRules.ProrationRule, io.cwbridge.events.BillingCycle,
     * String, CurrentPrice)}, knowing the quantity the bundle last wrote on each line ({@code written}, by addition id; null or
     * missing: ConnectWise's own). R18 x R10 x R30 (probe 58 F1): the lines that bill the boundary day (the ended base and the
     * deltas ending then) count as the bundle wrote them, so a person's hand edit of such a past, possibly invoiced line stays
     * as the person left it and is not carried into the continuation: that bills what the marketplace says from the new month
     * on. Each such line is named in a note ("differs from what the bundle wrote").
     */
    public static AdditionPlan plan(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing,
                                    SyncRules.ProrationRule proration, io.cwbridge.events.BillingCycle cycle, String currency,
                                    CurrentPrice current, java.util.Map<Long, BigDecimal> written) {
        PlanContext context = new PlanContext(billing, cycle, billing == null ? null : billing.billStartDate(), currency, proration,
                null, null);
        PlanBuilder plan = new PlanBuilder(agreementId, lines.all(), context);
        plan.priceNewLines(current);
        plan.writtenQuantities(written);
        roll(plan, today);
        AdditionPlan result = plan.build();
        if (!result.isEmpty() || !result.catchUps().isEmpty()) return result;
        List<String> notes = new ArrayList<>(result.notes().stream().filter(n -> n.startsWith(DIFFERS)).toList());
        notes.add("R18 nothing to roll on " + today);
        return new AdditionPlan(List.of(), notes);
    }

    static void roll(PlanBuilder plan, LocalDate today) {
        roll(plan, today, null);
    }

    /** As {@link #roll(PlanBuilder, LocalDate)}, for one subscription's lines only ({@code null}: every subscription's). */
    static void roll(PlanBuilder plan, LocalDate today, String onlySubscriptionId) {
        record Chain(String subscriptionId, Long catalogItemId) {
        }
        List<Chain> chains = new ArrayList<>();
        for (AdditionLine delta : plan.view().ofRole(LineRole.DELTA)) {
            if (onlySubscriptionId != null && !onlySubscriptionId.equals(delta.subscriptionId())) continue;
            Chain chain = new Chain(delta.subscriptionId(), delta.catalogItemId());
            if (!chains.contains(chain)) {
                chains.add(chain);
            }
        }
        for (Chain chain : chains) {
            TreeSet<LocalDate> boundaries = new TreeSet<>();
            plan.view().where(l -> l.role() == LineRole.DELTA && inChain(l, chain.subscriptionId(), chain.catalogItemId())
                            && l.cancelledDate() != null && l.cancelledDate().isBefore(today) && ranItsMonth(l))
                    .forEach(l -> boundaries.add(l.cancelledDate()));
            for (LocalDate boundary : boundaries) {
                rollAt(plan, chain.subscriptionId(), chain.catalogItemId(), boundary);
            }
        }
    }

    /**
     * R18 × R10 × R27: a change whose delta line ends on b, made after the global sync already rolled b (a base line of
     * the product starts on b + 1), is carried into that base at once, as the roll would have done had the delta been
     * there: else the rolled base bills the old count from b + 1 until a later global sync — on an agreement that keeps
     * the rules' dates in invoiced periods (R27 first branch) nothing else carries it, the clamp of the other agreements
     * rolls the days before N itself. Only the boundaries of the delta lines this plan touched, and only where the base
     * was already continued on b + 1, so no base is split ahead of R18 (FewerCallsTest).
     */
    static void rollIntoRolledBases(PlanBuilder plan, String subscriptionId) {
        SubscriptionLines view = plan.view();
        for (AdditionLine delta : plan.touchedDeltas(subscriptionId)) {
            LocalDate boundary = delta.cancelledDate();
            if (boundary == null || !ranItsMonth(delta)) continue;
            LocalDate next = boundary.plusDays(1);
            boolean rolled = !view.where(l -> l.role() == LineRole.BASE && inChain(l, subscriptionId, delta.catalogItemId())
                    && l.effectiveDate().equals(next)).isEmpty();
            if (rolled) {
                rollAt(plan, subscriptionId, delta.catalogItemId(), boundary);
            }
        }
    }

    private static void rollAt(PlanBuilder plan, String subscriptionId, Long catalog, LocalDate boundary) {
        SubscriptionLines view = plan.view();
        LocalDate next = boundary.plusDays(1);
        List<AdditionLine> basesNext = view.where(l -> l.role() == LineRole.BASE && inChain(l, subscriptionId, catalog)
                && l.activeOn(next));
        if (basesNext.isEmpty()) {
            return; // the product does not go on after the boundary: nothing to absorb
        }
        boolean terminated = !view.where(l -> (l.role() == LineRole.CANCELLATION || l.role() == LineRole.UPGRADE)
                && inChain(l, subscriptionId, catalog) && l.activeOn(next)).isEmpty();
        if (terminated) {
            return; // cancelled or upgraded away from that day on (R19, R21): nothing to carry on
        }
        List<AdditionLine> basesBefore = view.where(l -> l.role() == LineRole.BASE && inChain(l, subscriptionId, catalog)
                && l.activeOn(boundary));
        if (basesBefore.isEmpty()) {
            return; // the deltas ended on a day without a base (the subscription had stopped): nothing to carry on
        }
        // R18 x R10 x R30 (probe 58 F1): the boundary day's lines count as the bundle wrote them (where it knows), not as a
        // person edited them since: a hand edit of a past line stays there and does not flow into the continuation
        BigDecimal ended = asWritten(plan, view.where(l -> l.role() == LineRole.DELTA && inChain(l, subscriptionId, catalog)
                && boundary.equals(l.cancelledDate()) && ranItsMonth(l)), boundary);
        BigDecimal baseBefore = asWritten(plan, basesBefore, boundary);
        BigDecimal needed = baseBefore.add(ended).subtract(sum(basesNext));
        if (needed.signum() == 0) {
            return;
        }
        // later stretches of the base (a renewal continuation, a price split made before this roll) take it too
        java.util.Map<String, List<AdditionLine>> laterSpans = new java.util.LinkedHashMap<>();
        view.where(l -> l.role() == LineRole.BASE && inChain(l, subscriptionId, catalog) && l.effectiveDate().isAfter(next))
                .forEach(l -> laterSpans.computeIfAbsent(l.effectiveDate() + "/" + l.cancelledDate(), k -> new ArrayList<>()).add(l));
        BaseLines chain = new BaseLines(catalog, basesNext);
        AdditionLine target = chain.target(next);
        String reason = "R18 month roll: base absorbs " + LineDescriptions.signed(needed) + " of delta lines ended " + boundary;
        BigDecimal quantity = target.quantity().add(needed);
        if (target.effectiveDate().equals(next)) {
            if (!target.invoiced()) {
                AdditionLine updated = plan.update(target, l -> l.withQuantity(quantity), reason);
                plan.update(updated, l -> l.withDescription(LineDescriptions.withLicences(l.description(), quantity),
                        l.invoiceDescription()), reason);
            } else {
                LineEdits.setQuantity(plan, target, quantity, false, reason);
            }
        } else {
            LineEdits.split(plan, target, next, l -> plan.currentlyPriced(l.withQuantity(quantity)
                    .withDescription(LineDescriptions.withLicences(l.description(), quantity), l.invoiceDescription())), reason);
        }
        for (List<AdditionLine> span : laterSpans.values()) {
            AdditionLine line = new BaseLines(catalog, span).target(span.get(0).effectiveDate());
            BigDecimal spanQuantity = line.quantity().add(needed);
            if (line.invoiced()) {
                LineEdits.setQuantity(plan, line, spanQuantity, false, reason);
            } else {
                plan.update(line, l -> l.withQuantity(spanQuantity)
                        .withDescription(LineDescriptions.withLicences(l.description(), spanQuantity), l.invoiceDescription()), reason);
            }
        }
        netTheRolledCount(plan, subscriptionId, catalog, next);
    }

    /**
     * R19, R21 × R10: a full upgrade's or a cancellation's −Q line that starts after the roll day {@code next} took back
     * the licences the product billed on its day t before this roll; the base now bills the rolled count on t (a change
     * dated before the upgrade or cancellation that arrived after it, its delta rolled here or by R27's roll to N), so
     * the −Q line nets that count: from t on the product bills nothing. Before, an upgrade's −10 stayed next to a
     * rolled base of 8 and the old product billed −2 licences from t to the month's end (probe 42 D1). The netted
     * count is what every other line of the product bills on t, as {@link CancelledSubscription} nets a cancellation's
     * line; an invoiced −Q line gets the difference on a line next to it (R26).
     */
    private static void netTheRolledCount(PlanBuilder plan, String subscriptionId, Long catalog, LocalDate next) {
        List<AdditionLine> terminations = plan.view().where(l -> (l.role() == LineRole.UPGRADE || l.role() == LineRole.CANCELLATION)
                && inChain(l, subscriptionId, catalog) && l.effectiveDate().isAfter(next));
        if (terminations.isEmpty()) return;
        LocalDate day = terminations.get(0).effectiveDate(); // sorted by date: the upgrade's or cancellation's day
        BigDecimal left = sum(plan.view().where(l -> l.countsLicences() && inChain(l, subscriptionId, catalog) && l.activeOn(day)));
        if (left.signum() == 0) return;
        List<AdditionLine> bases = plan.view().where(l -> l.role() == LineRole.BASE && inChain(l, subscriptionId, catalog)
                && l.activeOn(day));
        // the −Q line that nets the base (one per end date when the netted lines end on different days, NettingLines)
        Optional<AdditionLine> netting = terminations.stream()
                .filter(l -> l.effectiveDate().equals(day) && l.quantity().signum() < 0)
                .min(Comparator.comparing((AdditionLine l) -> bases.stream().noneMatch(b -> Objects.equals(b.cancelledDate(),
                        l.cancelledDate()))));
        if (netting.isEmpty()) return;
        AdditionLine line = netting.get();
        BigDecimal nets = line.quantity().subtract(left);
        String rule = line.role() == LineRole.UPGRADE ? "R19" : "R21";
        LineEdits.setNettedQuantity(plan, line, nets, rule + ", R10: after the R18 month roll the product's other lines bill "
                + left.subtract(line.quantity()).toPlainString()
                + " licences on " + day + ", so the " + (line.role() == LineRole.UPGRADE ? "upgrade's" : "cancellation's")
                + " line nets " + nets.toPlainString());
    }

    /**
     * Only a delta that ran to the end of its month is carried on by the base. One cut short ended
     * with the subscription (R23 off, an end date) or was taken back (R26 offset); if a renewal
     * continues it, the continuation is the delta that runs to the month end.
     */
    private static boolean ranItsMonth(AdditionLine delta) {
        return delta.cancelledDate().equals(EffectiveDates.deltaEnd(delta.effectiveDate()));
    }

    private static boolean inChain(AdditionLine line, String subscriptionId, Long catalog) {
        return line.subscriptionId().equals(subscriptionId) && Objects.equals(line.catalogItemId(), catalog);
    }

    /**
     * R18 x R10 x R30: the licences {@code lines} bill on {@code boundary}, each as the bundle last wrote it where the plan
     * knows that (PlanBuilder#writtenQuantities), else as ConnectWise holds it; a line that differs is named in a note.
     */
    private static BigDecimal asWritten(PlanBuilder plan, List<AdditionLine> lines, LocalDate boundary) {
        BigDecimal total = BigDecimal.ZERO;
        for (AdditionLine line : lines) {
            Optional<BigDecimal> written = plan.writtenQuantity(line);
            if (written.isPresent() && written.get().compareTo(line.quantity()) != 0) {
                plan.note(DIFFERS + ": addition " + line.additionId() + " (" + line.key() + ") holds "
                        + line.quantity().toPlainString() + " licences in ConnectWise, the bundle wrote "
                        + written.get().toPlainString() + "; the hand edit stays on that line, the month roll after " + boundary
                        + " carries " + written.get().toPlainString());
                total = total.add(written.get());
            } else {
                total = total.add(line.quantity());
            }
        }
        return total;
    }

    /** The start of the note on a line whose quantity a person changed after the bundle wrote it (R18, R10, R30). */
    public static final String DIFFERS = "R18, R10, R30: past line differs from what the bundle wrote";

    private static BigDecimal sum(List<AdditionLine> lines) {
        return lines.stream().map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
