package io.cwbridge.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Accumulates a plan against a working copy of the lines, so each rule step sees the effect of the
 * previous ones: a change to a line created earlier in the same plan is folded into its CREATE, a
 * line created and deleted again disappears, and an existing line gets one UPDATE holding only the
 * fields that differ in the end.
 */
final class PlanBuilder {

    private final long agreementId;
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
        this.agreementId = agreementId;
        for (AdditionLine line : lines) {
            entries.add(new Entry(line, line));
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
        List<PlannedOperation> ops = new ArrayList<>();
        entries.stream()
                .filter(e -> e.firstTouch != Integer.MAX_VALUE)
                .sorted(Comparator.comparingInt(e -> e.firstTouch))
                .forEach(e -> toOperation(e, ops));
        return new AdditionPlan(ops, notes);
    }

    private void toOperation(Entry entry, List<PlannedOperation> ops) {
        String reason = String.join("; ", entry.reasons);
        if (entry.pending()) {
            if (!entry.deleted) {
                ops.add(new PlannedOperation(PlannedOperation.Kind.CREATE, entry.current.key(), agreementId, null,
                        LineFields.of(entry.current), reason));
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
        if (entry.original.invoiced() && !onlyShortensCancelledDate(entry.original, diff)) {
            throw new IllegalStateException("R26: invoiced line " + entry.original.key() + " only accepts an earlier end, not " + diff);
        }
        ops.add(new PlannedOperation(PlannedOperation.Kind.UPDATE, entry.original.key(), agreementId, id, diff, reason));
    }

    /** R26: the one edit an invoiced line takes is to end it earlier (that is how "end-date + new line" works). */
    static boolean onlyShortensCancelledDate(AdditionLine original, LineFields diff) {
        boolean onlyCancelled = diff.catalogItemId() == null && diff.quantity() == null && diff.unitPrice() == null
                && diff.unitCost() == null && diff.effectiveDate() == null && !diff.clearCancelledDate()
                && diff.description() == null && diff.invoiceDescription() == null && diff.billCustomer() == null;
        return onlyCancelled && diff.cancelledDate() != null
                && (original.cancelledDate() == null || diff.cancelledDate().isBefore(original.cancelledDate()));
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
