package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The known addition lines of a subscription (its base line, delta lines and the rest), the state the
 * rules read. Immutable.
 */
public final class SubscriptionLines {

    private static final Comparator<AdditionLine> BY_DATE_THEN_REVISION = Comparator
            .comparing(AdditionLine::effectiveDate)
            .thenComparing(line -> line.key().revision());

    private final List<AdditionLine> lines;

    private SubscriptionLines(List<AdditionLine> lines) {
        this.lines = List.copyOf(lines);
    }

    public static SubscriptionLines of(Collection<AdditionLine> lines) {
        return new SubscriptionLines(new ArrayList<>(lines));
    }

    public static SubscriptionLines of(AdditionLine... lines) {
        return new SubscriptionLines(List.of(lines));
    }

    public static SubscriptionLines none() {
        return new SubscriptionLines(List.of());
    }

    public List<AdditionLine> all() {
        return lines;
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    public int size() {
        return lines.size();
    }

    public List<AdditionLine> where(Predicate<AdditionLine> filter) {
        return lines.stream().filter(filter).sorted(BY_DATE_THEN_REVISION).toList();
    }

    public List<AdditionLine> ofRole(LineRole role) {
        return where(line -> line.role() == role);
    }

    /** Lines whose quantity counts as licences (R10). */
    public List<AdditionLine> licenceLines() {
        return where(AdditionLine::countsLicences);
    }

    public SubscriptionLines forSubscription(String subscriptionId) {
        return new SubscriptionLines(where(line -> line.subscriptionId().equals(subscriptionId)));
    }

    public Optional<AdditionLine> find(LineKey key) {
        return lines.stream().filter(line -> line.key().equals(key)).findFirst();
    }

    public Optional<AdditionLine> byAdditionId(long additionId) {
        return lines.stream().filter(line -> line.additionId() != null && line.additionId() == additionId).findFirst();
    }

    /** R10: the licences the lines bill on day d (licence lines with effectiveDate ≤ d ≤ cancelledDate). */
    public BigDecimal quantityOn(LocalDate d) {
        return lines.stream()
                .filter(AdditionLine::countsLicences)
                .filter(line -> line.activeOn(d))
                .map(AdditionLine::quantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Whether ConnectWise has billed any line of these (R22). */
    public boolean anyInvoiced() {
        return lines.stream().anyMatch(AdditionLine::invoiced);
    }

    /**
     * The lines after a plan is carried out the way ConnectWise would: creates get the next free
     * addition ids, updates set the fields given, deletes remove. For simulations, tests and "what
     * would this do" previews.
     */
    public SubscriptionLines apply(AdditionPlan plan) {
        List<AdditionLine> result = new ArrayList<>(lines);
        long nextId = lines.stream().map(AdditionLine::additionId).filter(Objects::nonNull).mapToLong(Long::longValue)
                .max().orElse(0) + 1;
        for (PlannedOperation op : plan.operations()) {
            switch (op.kind()) {
                case CREATE -> {
                    LineFields f = op.fields();
                    result.add(new AdditionLine(nextId++, op.line(), f.catalogItemId(), f.quantity(), f.unitPrice(),
                            f.unitCost(), f.effectiveDate(), f.cancelledDate(), false, f.description(),
                            f.invoiceDescription()));
                }
                case UPDATE -> {
                    int index = indexOf(result, op.additionId());
                    result.set(index, applyFields(result.get(index), op.fields()));
                }
                case DELETE -> result.remove(indexOf(result, op.additionId()));
            }
        }
        // R27: catch-up lines are kept with the subscription's lines (the bundle's record, not ConnectWise's)
        plan.catchUps().forEach(c -> result.addAll(c.lines()));
        return new SubscriptionLines(result);
    }

    /** The same lines, all marked billed by ConnectWise (an invoice run, for simulations). */
    public SubscriptionLines markAllInvoiced() {
        return new SubscriptionLines(lines.stream().map(AdditionLine::asInvoiced).toList());
    }

    /** These lines plus others (e.g. the lines of another subscription on the same agreement). */
    public SubscriptionLines plus(Collection<AdditionLine> others) {
        List<AdditionLine> all = new ArrayList<>(lines);
        all.addAll(others);
        return new SubscriptionLines(all);
    }

    private static int indexOf(List<AdditionLine> lines, Long additionId) {
        for (int i = 0; i < lines.size(); i++) {
            if (Objects.equals(lines.get(i).additionId(), additionId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no addition #" + additionId);
    }

    private static AdditionLine applyFields(AdditionLine line, LineFields f) {
        LocalDate cancelled = f.clearCancelledDate() ? null : f.cancelledDate() != null ? f.cancelledDate() : line.cancelledDate();
        return new AdditionLine(line.additionId(), line.key(),
                f.catalogItemId() != null ? f.catalogItemId() : line.catalogItemId(),
                f.quantity() != null ? f.quantity() : line.quantity(),
                f.unitPrice() != null ? f.unitPrice() : line.unitPrice(),
                f.unitCost() != null ? f.unitCost() : line.unitCost(),
                f.effectiveDate() != null ? f.effectiveDate() : line.effectiveDate(),
                cancelled, line.invoiced(),
                f.description() != null ? f.description() : line.description(),
                f.invoiceDescription() != null ? f.invoiceDescription() : line.invoiceDescription());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubscriptionLines that && lines.equals(that.lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (AdditionLine line : where(l -> true)) {
            text.append(line.key()).append(" #").append(line.additionId()).append(" cat=").append(line.catalogItemId())
                    .append(" q=").append(line.quantity().toPlainString()).append(' ').append(line.effectiveDate())
                    .append("..").append(line.cancelledDate() == null ? "open" : line.cancelledDate())
                    .append(line.invoiced() ? " invoiced" : "").append('\n');
        }
        return text.toString();
    }
}
