package io.cwbridge.rules;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The base line(s) a change applies to: the subscription's BASE lines of one product (catalog item)
 * that are active on the change date or start after it. After a full upgrade on the same
 * subscription the old product's base runs to the month end next to the new product's base; the
 * chain of the mapped (current) product wins.
 */
record BaseLines(Long catalogItemId, List<AdditionLine> lines) {

    static BaseLines current(SubscriptionLines view, String subscriptionId, LocalDate c, Long preferredCatalog) {
        List<AdditionLine> bases = view.where(l -> l.role() == LineRole.BASE && l.subscriptionId().equals(subscriptionId));
        if (bases.isEmpty()) {
            return new BaseLines(null, List.of());
        }
        List<AdditionLine> candidates = bases.stream().filter(l -> l.activeOn(c) || l.effectiveDate().isAfter(c)).toList();
        if (candidates.isEmpty()) {
            candidates = bases;
        }
        Long catalog;
        if (preferredCatalog != null && candidates.stream().anyMatch(l -> preferredCatalog.equals(l.catalogItemId()))) {
            catalog = preferredCatalog;
        } else {
            catalog = candidates.stream().max(Comparator.comparing(BaseLines::endOrMax)
                    .thenComparing(AdditionLine::effectiveDate)).orElseThrow().catalogItemId();
        }
        List<AdditionLine> chain = candidates.stream().filter(l -> Objects.equals(l.catalogItemId(), catalog)).toList();
        return new BaseLines(catalog, chain);
    }

    /** The first day any base line of that product started on (null when there is none). */
    static LocalDate firstDay(SubscriptionLines view, String subscriptionId, Long catalog) {
        return view.where(l -> l.role() == LineRole.BASE && l.subscriptionId().equals(subscriptionId)
                        && Objects.equals(l.catalogItemId(), catalog))
                .stream().map(AdditionLine::effectiveDate).min(LocalDate::compareTo).orElse(null);
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The last day the chain bills; null = open. */
    LocalDate end() {
        LocalDate end = null;
        for (AdditionLine line : lines) {
            if (line.cancelledDate() == null) {
                return null;
            }
            end = end == null || line.cancelledDate().isAfter(end) ? line.cancelledDate() : end;
        }
        return end;
    }

    /** The line to change: an editable (not invoiced) one active on {@code day} if any, else the latest one. */
    AdditionLine target(LocalDate day) {
        Comparator<AdditionLine> latest = Comparator.comparing(AdditionLine::effectiveDate)
                .thenComparing(l -> l.key().revision());
        return lines.stream().filter(l -> l.activeOn(day) && !l.invoiced()).max(latest)
                .or(() -> lines.stream().filter(l -> l.activeOn(day)).max(latest))
                .orElseGet(() -> lines.stream().max(latest).orElseThrow());
    }

    private static LocalDate endOrMax(AdditionLine line) {
        return line.cancelledDate() == null ? LocalDate.MAX : line.cancelledDate();
    }
}
