package io.cwbridge.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Accumulates a plan against a working copy of the lines, so each rule step sees the effect of the
 * previous ones: a change to a line created earlier in the same plan is folded into its CREATE, a
 * line created and deleted again disappears, and an existing line gets one UPDATE holding only the
 * fields that differ in the end.
 *
 * <p>It also owns what every plan must respect whatever rule made it: lines are judged invoiced by
 * the agreement's next invoice date (R22); on an agreement that cannot bill changes of invoiced
 * periods itself, nothing starts, changes or ends before that date and the part of the change that
 * falls before it becomes catch-up amounts (R27); and lines starting inside a billing period show
 * (and under R17a carry) their prorated amounts.
 */
final class PlanBuilder {

    private final long agreementId;
    private final PlanContext context;
    private final List<Entry> entries = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int touches;

    private static final class Entry {
        final AdditionLine original;
        AdditionLine current;
        boolean deleted;
        int firstTouch = Integer.MAX_VALUE;
        final List<String> reasons = new ArrayList<>();

        Entry(AdditionLine original, AdditionLine current) {
            this.original = original;
            this.current = current;
        }

        boolean pending() {
            return original == null;
        }
    }

    PlanBuilder(long agreementId, Collection<AdditionLine> lines) {
        this(agreementId, lines, PlanContext.NONE);
    }

    /** R22 (v2): a line is invoiced when the agreement has invoiced its first day (or the caller knows it is). */
    PlanBuilder(long agreementId, Collection<AdditionLine> lines, PlanContext context) {
        this.agreementId = agreementId;
        this.context = context;
        for (AdditionLine line : lines) {
            AdditionLine judged = !line.invoiced() && context.billing().invoiced(line.effectiveDate()) ? line.asInvoiced() : line;
            entries.add(new Entry(judged, judged));
        }
    }

    /** The working lines: the known ones with this plan's operations carried out. */
    SubscriptionLines view() {
        return SubscriptionLines.of(entries.stream().filter(e -> !e.deleted).map(e -> e.current).toList());
    }

    /** A key for a new line: revision 0, or the next one when the role and date are taken (R16/R26). */
    LineKey nextKey(String subscriptionId, LineRole role, LocalDate effectiveDate) {
        int revision = entries.stream()
                .map(e -> e.current.key())
                .filter(k -> k.subscriptionId().equals(subscriptionId) && k.role() == role && k.effectiveDate().equals(effectiveDate))
                .mapToInt(k -> k.revision() + 1)
                .max().orElse(0);
        return new LineKey(subscriptionId, role, effectiveDate, revision);
    }

    AdditionLine create(AdditionLine line, String reason) {
        if (line.additionId() != null || line.invoiced()) {
            throw new IllegalArgumentException("a new line has no addition id and is not invoiced");
        }
        boolean taken = entries.stream().anyMatch(e -> e.current.key().equals(line.key()));
        if (taken) {
            throw new IllegalStateException("line " + line.key() + " exists already");
        }
        Entry entry = new Entry(null, line);
        entries.add(entry);
        touch(entry, reason);
        return line;
    }

    AdditionLine update(AdditionLine line, UnaryOperator<AdditionLine> change, String reason) {
        Entry entry = entryOf(line);
        entry.current = change.apply(entry.current);
        touch(entry, reason);
        return entry.current;
    }

    void delete(AdditionLine line, String reason) {
        Entry entry = entryOf(line);
        entry.deleted = true;
        touch(entry, reason);
    }

    void note(String note) {
        notes.add(note);
    }

    AdditionPlan build() {
        LocalDate n = context.clampsBefore();
        List<CatchUp> catchUps = n == null || touched().isEmpty() ? List.of() : keepOutOfInvoicedPeriods(n);
        List<PlannedOperation> ops = new ArrayList<>();
        touched().forEach(e -> toOperation(e, ops));
        return new AdditionPlan(ops, notes, catchUps);
    }

    private List<Entry> touched() {
        return entries.stream()
                .filter(e -> e.firstTouch != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(e -> e.firstTouch))
                .toList();
    }

    /** A licence chain: one subscription's lines of one product (R10 per product, R18 per product). */
    record Chain(String subscriptionId, Long catalogItemId) {
        static Chain of(AdditionLine line) {
            return new Chain(line.subscriptionId(), line.catalogItemId());
        }

        boolean holds(AdditionLine line) {
            return line.countsLicences() && line.subscriptionId().equals(subscriptionId)
                    && Objects.equals(line.catalogItemId(), catalogItemId);
        }

        /**
         * The month roll (R18) carries a change into the base on day d: a base line of the chain runs
         * on d and no cancellation / upgrade line has taken the licences away (MonthRoll's conditions).
         */
        boolean carriesOn(SubscriptionLines view, LocalDate day) {
            boolean base = !view.where(l -> l.role() == LineRole.BASE && holds(l) && l.activeOn(day)).isEmpty();
            boolean terminated = !view.where(l -> (l.role() == LineRole.CANCELLATION || l.role() == LineRole.UPGRADE)
                    && holds(l) && l.activeOn(day)).isEmpty();
            return base && !terminated;
        }
    }

    PlanContext context() {
        return context;
    }

    /** A working copy of other lines under the same agreement context, for projections (nothing is planned). */
    PlanBuilder projection(Collection<AdditionLine> lines) {
        return new PlanBuilder(agreementId, lines, context);
    }

    /**
     * R27 on an agreement that does not bill changes of invoiced periods itself: every line the plan
     * touches is kept to days from N on, so the invoiced days bill as they did; what the plan meant
     * for those days becomes catch-up amounts, and what it meant from N on still bills from N on. A
     * change of an invoiced month that the month roll (R18) would have carried into the base is
     * carried by a delta line from N that the roll absorbs in turn; a licence step inside an
     * invoiced period becomes a delta line from N, so the base never steps at N for anything but a
     * roll (which keeps the roll's own reading of the lines right).
     */
    private List<CatchUp> keepOutOfInvoicedPeriods(LocalDate n) {
        List<Entry> touched = touched();
        SubscriptionLines intended = view();
        CatchUpTally tally = new CatchUpTally(n);
        for (Entry e : touched) {
            tally.line(e.deleted ? null : e.current, BigDecimal.ONE);
            tally.line(e.pending() ? null : e.original, BigDecimal.ONE.negate());
        }
        List<AdditionLine> dropped = new ArrayList<>();
        for (Entry e : touched) {
            AdditionLine line = e.current;
            if (e.pending() && !e.deleted && line.role() == LineRole.DELTA && line.cancelledDate() != null
                    && line.cancelledDate().isBefore(n) && line.cancelledDate().equals(EffectiveDates.deltaEnd(line.effectiveDate()))) {
                dropped.add(line);
                Chain chain = Chain.of(line);
                for (LocalDate day = line.cancelledDate().plusDays(1); day.isBefore(n); day = day.plusDays(1)) {
                    if (chain.carriesOn(intended, day)) {
                        tally.day(chain, day, line.quantity(), line.unitPrice(), line.unitCost());
                    }
                }
            }
        }
        Map<Entry, String> shapes = new LinkedHashMap<>();
        for (Entry e : touched) {
            shapes.put(e, shape(e, n, intended));
        }
        shapes.forEach((e, shape) -> clamp(e, n, shape));
        carry(dropped, n);
        return tally.catchUps();
    }

    /** How a new base line that starts inside the invoiced days is kept out of them: FRESH, CONTINUATION or OVERLAY. */
    private String shape(Entry entry, LocalDate n, SubscriptionLines intended) {
        AdditionLine line = entry.current;
        if (!entry.pending() || entry.deleted || line.role() != LineRole.BASE || !line.effectiveDate().isBefore(n)) {
            return "";
        }
        Chain chain = Chain.of(line);
        LocalDate dayBefore = line.effectiveDate().minusDays(1);
        boolean continuation = entries.stream().anyMatch(other -> !other.pending() && !other.deleted && other.firstTouch != Integer.MAX_VALUE
                && other.current.role() == LineRole.BASE && chain.holds(other.current)
                && dayBefore.equals(other.current.cancelledDate()) && !dayBefore.equals(other.original.cancelledDate()));
        if (continuation) {
            return "CONTINUATION";
        }
        boolean overlay = !intended.where(l -> l != line && l.role() == LineRole.BASE && chain.holds(l)
                && l.activeOn(line.effectiveDate())).isEmpty();
        return overlay ? "OVERLAY" : "FRESH";
    }

    /** R27: one line kept to the days from N on (N − 1 for an end). */
    private void clamp(Entry entry, LocalDate n, String shape) {
        if (entry.deleted) {
            return;
        }
        AdditionLine line = entry.current;
        String why = "R27 the agreement has invoiced the days before " + n;
        if (entry.pending()) {
            if (!line.effectiveDate().isBefore(n)) {
                return;
            }
            if (!line.countsLicences()) {
                // an amount of an invoiced period (usage, setup) bills once on the next invoice
                entry.current = LineEdits.copy(line, nextKey(line.subscriptionId(), line.role(), n), n, n)
                        .withQuantity(line.quantity());
                entry.reasons.add(why + ": the amount of " + line.effectiveDate() + " to " + line.cancelledDate()
                        + " is billed once from " + n);
                return;
            }
            if (line.cancelledDate() != null && line.cancelledDate().isBefore(n)) {
                entry.deleted = true;
                entry.reasons.add(why + ": the line falls wholly into them, its amount is a catch-up");
                return;
            }
            if (shape.equals("OVERLAY")) {
                // a licence step of the invoiced days: from N on a delta line, which the month roll carries into the base
                LocalDate end = EffectiveDates.earliestEnd(line.cancelledDate(), EffectiveDates.endOfMonth(n));
                entry.current = LineEdits.copy(line, nextKey(line.subscriptionId(), LineRole.DELTA, n), n, end)
                        .withQuantity(line.quantity());
                entry.reasons.add(why + ": " + LineDescriptions.signed(line.quantity()) + " from " + n + " on a delta line to " + end
                        + " (carried into the base by the month roll, R18); the days before are a catch-up");
                return;
            }
            entry.current = LineEdits.copy(line, nextKey(line.subscriptionId(), line.role(), n), n, line.cancelledDate())
                    .withQuantity(line.quantity());
            entry.reasons.add(why + ": starts " + n + " instead of " + line.effectiveDate() + ", the days before are a catch-up");
            return;
        }
        AdditionLine original = entry.original;
        if (!original.invoiced()) {
            if (line.effectiveDate().isBefore(n)) {
                if (line.cancelledDate() != null && line.cancelledDate().isBefore(n)) {
                    entry.deleted = true;
                    entry.reasons.add(why + ": the line would bill only invoiced days, deleted; the change is a catch-up");
                } else {
                    entry.current = withEffectiveDate(line, n);
                    entry.reasons.add(why + ": starts " + n + ", the days before are a catch-up");
                }
            }
            return;
        }
        LocalDate lastInvoiced = n.minusDays(1);
        LocalDate oldEnd = original.cancelledDate();
        LocalDate newEnd = line.cancelledDate();
        if (Objects.equals(oldEnd, newEnd)) {
            return;
        }
        boolean oldInside = oldEnd != null && oldEnd.isBefore(lastInvoiced);
        boolean newInside = newEnd != null && newEnd.isBefore(lastInvoiced);
        if (newInside) {
            LocalDate end = oldInside ? oldEnd : lastInvoiced;
            entry.current = line.withCancelledDate(end);
            entry.reasons.add(why + ": ends " + end + " instead of " + newEnd + ", the invoiced days after " + newEnd
                    + " are a credit catch-up");
        } else if (oldInside) {
            entry.current = line.withCancelledDate(oldEnd);
            Entry continuation = new Entry(null, LineEdits.copy(line, nextKey(line.subscriptionId(), line.role(), n), n, newEnd)
                    .withQuantity(line.quantity()));
            continuation.firstTouch = touches++;
            continuation.reasons.add(why + ": " + LineEdits.ref(original) + " ended " + oldEnd + " inside them, it continues from "
                    + n + (newEnd == null ? "" : " to " + newEnd) + "; the invoiced days between are a catch-up");
            entries.add(continuation);
        }
    }

    private static AdditionLine withEffectiveDate(AdditionLine line, LocalDate effective) {
        return new AdditionLine(line.additionId(), line.key(), line.catalogItemId(), line.quantity(), line.unitPrice(),
                line.unitCost(), effective, line.cancelledDate(), line.invoiced(), line.description(), line.invoiceDescription());
    }

    /**
     * R27: the dropped delta lines of invoiced months would have been carried into the base by the
     * month roll; from N to the end of N's month a delta line carries them, and the roll absorbs it.
     */
    private void carry(List<AdditionLine> dropped, LocalDate n) {
        Map<Chain, List<AdditionLine>> byChain = new LinkedHashMap<>();
        dropped.forEach(l -> byChain.computeIfAbsent(Chain.of(l), c -> new ArrayList<>()).add(l));
        LocalDate carryEnd = EffectiveDates.endOfMonth(n);
        byChain.forEach((chain, lines) -> {
            BigDecimal quantity = lines.stream().map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (quantity.signum() == 0) {
                return;
            }
            SubscriptionLines clamped = view();
            LocalDate from = null;
            for (LocalDate day = n; !day.isAfter(carryEnd.plusDays(1)); day = day.plusDays(1)) {
                boolean carries = !day.isAfter(carryEnd) && chain.carriesOn(clamped, day);
                if (carries && from == null) {
                    from = day;
                } else if (!carries && from != null) {
                    AdditionLine template = lines.get(lines.size() - 1);
                    create(new AdditionLine(null, nextKey(chain.subscriptionId(), LineRole.DELTA, from), chain.catalogItemId(), quantity,
                                    template.unitPrice(), template.unitCost(), from, day.minusDays(1), false,
                                    LineDescriptions.adjustment(template.description(), LineDescriptions.signed(quantity) + " from " + from),
                                    null),
                            "R27 the change of the invoiced days before " + n + " bills " + LineDescriptions.signed(quantity) + " from "
                                    + from + " to " + day.minusDays(1) + " (carried into the base by the month roll, R18)");
                    from = null;
                }
            }
        });
    }

    /** R27 catch-ups: licence-days meant for the invoiced days minus those billed there, per billing period and price. */
    private final class CatchUpTally {
        private record Key(Chain chain, Proration.Period period, BigDecimal price, BigDecimal cost) {
        }

        private final LocalDate n;
        private final Map<Key, BigDecimal> licenceDays = new LinkedHashMap<>();
        private final Map<Key, LocalDate[]> spans = new LinkedHashMap<>();

        CatchUpTally(LocalDate n) {
            this.n = n;
        }

        /** A line's licences on every invoiced day it is active, times {@code sign}. */
        void line(AdditionLine line, BigDecimal sign) {
            if (line == null || !line.countsLicences() || !line.effectiveDate().isBefore(n)) {
                return;
            }
            LocalDate last = line.cancelledDate() == null || !line.cancelledDate().isBefore(n) ? n.minusDays(1) : line.cancelledDate();
            for (LocalDate day = line.effectiveDate(); !day.isAfter(last); day = day.plusDays(1)) {
                day(Chain.of(line), day, line.quantity().multiply(sign), line.unitPrice(), line.unitCost());
            }
        }

        void day(Chain chain, LocalDate day, BigDecimal licences, BigDecimal price, BigDecimal cost) {
            Key key = new Key(chain, context.period(day), price != null ? price : context.fallbackPrice(),
                    cost != null ? cost : context.fallbackCost());
            licenceDays.merge(key, licences, BigDecimal::add);
            LocalDate[] span = spans.computeIfAbsent(key, k -> new LocalDate[] {day, day});
            span[0] = day.isBefore(span[0]) ? day : span[0];
            span[1] = day.isAfter(span[1]) ? day : span[1];
        }

        List<CatchUp> catchUps() {
            List<CatchUp> result = new ArrayList<>();
            licenceDays.forEach((key, days) -> {
                if (days.signum() == 0) {
                    return;
                }
                long periodDays = key.period().days();
                result.add(new CatchUp(key.chain().subscriptionId(), key.chain().catalogItemId(), key.period().start(),
                        key.period().end(), spans.get(key)[0], spans.get(key)[1], days, periodDays, key.price(), key.cost(),
                        amount(days, key.price(), periodDays), amount(days, key.cost(), periodDays),
                        "R27 " + (days.signum() > 0 ? "under-billed" : "over-billed") + " in the invoiced period "
                                + key.period().start() + " to " + key.period().end() + ": "
                                + days.stripTrailingZeros().toPlainString() + " licence-days"));
            });
            return result;
        }
    }

    private BigDecimal amount(BigDecimal licenceDays, BigDecimal unit, long periodDays) {
        if (unit == null) {
            return null;
        }
        return licenceDays.multiply(unit).divide(BigDecimal.valueOf(periodDays), Proration.scaleFor(unit, context.currency()),
                RoundingMode.HALF_UP);
    }

    private void toOperation(Entry entry, List<PlannedOperation> ops) {
        String reason = String.join("; ", entry.reasons);
        if (entry.pending()) {
            if (!entry.deleted) {
                ProratedAmounts prorated = prorated(entry.current);
                LineFields fields = LineFields.of(entry.current);
                if (prorated != null && prorated.written()) {
                    fields = fields.withProrate(prorated.price(), prorated.cost());
                }
                ops.add(new PlannedOperation(PlannedOperation.Kind.CREATE, entry.current.key(), agreementId, null, fields, reason,
                        prorated));
            }
            return;
        }
        Long id = entry.original.additionId();
        if (entry.deleted) {
            requireId(entry, id);
            if (entry.original.invoiced()) {
                throw new IllegalStateException("R26: invoiced line " + entry.original.key() + " cannot be deleted");
            }
            ops.add(new PlannedOperation(PlannedOperation.Kind.DELETE, entry.original.key(), agreementId, id, null, reason));
            return;
        }
        LineFields diff = LineFields.diff(entry.original, entry.current);
        if (diff == null) {
            return;
        }
        requireId(entry, id);
        if (entry.original.invoiced() && !onlyChangesCancelledDate(diff)) {
            throw new IllegalStateException("R26: invoiced line " + entry.original.key() + " only accepts a new end, not " + diff);
        }
        ProratedAmounts prorated = diff.effectiveDate() != null || diff.unitPrice() != null || diff.unitCost() != null
                ? prorated(entry.current) : null;
        if (prorated != null && prorated.written()) {
            diff = diff.withProrate(prorated.price(), prorated.cost());
        }
        ops.add(new PlannedOperation(PlannedOperation.Kind.UPDATE, entry.original.key(), agreementId, id, diff, reason, prorated));
    }

    /**
     * R17a: per unit, what a licence line starting inside its billing period bills for that period:
     * (days in period − day of the effective date + 1) × unit price (cost) / days in period. Null when
     * it starts on the period's first day.
     */
    private ProratedAmounts prorated(AdditionLine line) {
        if (!line.countsLicences()) {
            return null;
        }
        Proration.Period period = context.period(line.effectiveDate());
        if (line.effectiveDate().equals(period.start())) {
            return null;
        }
        return new ProratedAmounts(period.start(), period.end(), period.days() - period.dayOf(line.effectiveDate()) + 1,
                period.days(), Proration.prorate(line.unitPrice(), line.effectiveDate(), period, context.currency()),
                Proration.prorate(line.unitCost(), line.effectiveDate(), period, context.currency()),
                context.writesProrate() && (line.unitPrice() != null || line.unitCost() != null));
    }

    /**
     * R26: the one edit an invoiced line takes is a new end: earlier ("end-date + new line") or later
     * (R23 v2, a renewal moves the same line's end).
     */
    static boolean onlyChangesCancelledDate(LineFields diff) {
        boolean onlyCancelled = diff.catalogItemId() == null && diff.quantity() == null && diff.unitPrice() == null
                && diff.unitCost() == null && diff.effectiveDate() == null && !diff.clearCancelledDate()
                && diff.description() == null && diff.invoiceDescription() == null && diff.billCustomer() == null
                && diff.proratePrice() == null && diff.prorateCost() == null;
        return onlyCancelled && diff.cancelledDate() != null;
    }

    private static void requireId(Entry entry, Long id) {
        if (id == null) {
            throw new IllegalStateException("line " + entry.original.key() + " has no addition id to change");
        }
    }

    private void touch(Entry entry, String reason) {
        if (entry.firstTouch == Integer.MAX_VALUE) {
            entry.firstTouch = touches++;
        }
        if (reason != null && !reason.isBlank() && !entry.reasons.contains(reason)) {
            entry.reasons.add(reason);
        }
    }

    private Entry entryOf(AdditionLine line) {
        for (Entry entry : entries) {
            if (!entry.deleted && entry.current == line) {
                return entry;
            }
        }
        throw new IllegalArgumentException("not a current working line: " + line.key());
    }
}
