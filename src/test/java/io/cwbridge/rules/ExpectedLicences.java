package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.UpgradeTo;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The licences that should be billed on a day under the partner's rules, computed from the event
 * history alone — without addition lines — as the other side of R10 ({@link InvariantR10}). It
 * restates the billing rules as a billing team would: a subscription bills its licences from its
 * billing start to its end; each later licence change counts from the date the partner's rule gives
 * and for good; a change on the purchase date counts from the start; an upgrade replaces the
 * licences from its day on (a change dated before the upgrade that arrives after it counts only until then); a renewed term bills the current licences; a cancellation stops billing
 * at the cancellation date or after that month; a subscription cancelled before ConnectWise ever
 * invoiced it bills nothing. Immutable.
 */
public final class ExpectedLicences {

    private final SyncRules rules;
    private final MappingContext mapping;
    private final Map<String, Model> subscriptions;
    private final LocalDate invoicedBefore;

    /** One change of the licence count, counting from {@code from} on. */
    private record Contribution(LocalDate from, int quantity) {
    }

    /** What is known of one subscription. */
    private record Model(LocalDate start, LocalDate billingStart, LocalDate baseFrom, LocalDate end, LocalDate stopFrom,
            boolean voided, boolean invoiced, int current, List<Contribution> contributions, LocalDate upgradedOn) {

        Model(LocalDate start, LocalDate billingStart, LocalDate baseFrom, LocalDate end, LocalDate stopFrom,
                boolean voided, boolean invoiced, int current, List<Contribution> contributions) {
            this(start, billingStart, baseFrom, end, stopFrom, voided, invoiced, current, contributions, null);
        }

        int on(LocalDate day) {
            if (voided || (end != null && day.isAfter(end)) || (stopFrom != null && !day.isBefore(stopFrom))) {
                return 0;
            }
            int total = 0;
            for (Contribution contribution : contributions) {
                if (!day.isBefore(contribution.from())) {
                    total += contribution.quantity();
                }
            }
            return total;
        }

        Model with(List<Contribution> newContributions, int newCurrent) {
            return new Model(start, billingStart, baseFrom, end, stopFrom, voided, invoiced, newCurrent, List.copyOf(newContributions),
                    upgradedOn);
        }

        Model withEnd(LocalDate newEnd) {
            return new Model(start, billingStart, baseFrom, newEnd, stopFrom, voided, invoiced, current, contributions, upgradedOn);
        }
    }

    private ExpectedLicences(SyncRules rules, MappingContext mapping, Map<String, Model> subscriptions) {
        this(rules, mapping, subscriptions, null);
    }

    private ExpectedLicences(SyncRules rules, MappingContext mapping, Map<String, Model> subscriptions, LocalDate invoicedBefore) {
        this.rules = rules;
        this.mapping = mapping;
        this.subscriptions = Map.copyOf(subscriptions);
        this.invoicedBefore = invoicedBefore;
    }

    /**
     * ConnectWise invoiced the agreement's days before {@code nextInvoiceDate} (R22 v2): a
     * subscription whose billing start lies before it has been billed, whatever its lines say.
     */
    public ExpectedLicences invoicedBefore(LocalDate nextInvoiceDate) {
        return new ExpectedLicences(rules, mapping, subscriptions, nextInvoiceDate);
    }

    /** Nothing known yet, for a partner's rules and the subscription's mapping (agreement start, from date). */
    public static ExpectedLicences of(SyncRules rules, MappingContext mapping) {
        return new ExpectedLicences(rules, mapping, Map.of());
    }

    /** Licences to bill for the subscription on that day (0 when unknown). */
    public int licencesOn(String subscriptionId, LocalDate day) {
        Model model = subscriptions.get(subscriptionId);
        return model == null ? 0 : model.on(day);
    }

    /** ConnectWise invoiced the agreement: every subscription known so far has been billed. */
    public ExpectedLicences invoiceRun() {
        Map<String, Model> next = new HashMap<>();
        subscriptions.forEach((id, m) -> next.put(id, new Model(m.start(), m.billingStart(), m.baseFrom(), m.end(), m.stopFrom(),
                m.voided(), true, m.current(), m.contributions(), m.upgradedOn())));
        return new ExpectedLicences(rules, mapping, next, invoicedBefore);
    }

    /** The expectation after one more event. */
    public ExpectedLicences apply(SubscriptionEvent event) {
        Map<String, Model> next = new HashMap<>(subscriptions);
        Subscription sub = event.subscription();
        LocalDate day = event.changeDate();
        switch (event.action()) {
            case NEW -> {
                if (!next.containsKey(sub.id())) {
                    next.put(sub.id(), started(sub.id(), sub.startDate(), sub.isIaas() ? 1 : sub.quantity(),
                            sub.endDate(), true)); // R25 v2: dated also when auto-renewing
                }
            }
            case LICENSE_INCREASE, LICENSE_DECREASE -> changeTo(next, sub, day, sub.quantity());
            case PARTIAL_UPGRADE -> {
                UpgradeTo upgrade = event.upgradeTo();
                changeTo(next, sub, day, sub.quantity());
                LocalDate from = latest(day, mapping.agreementStartDate());
                next.putIfAbsent(upgrade.subscriptionId(), new Model(day, from, from,
                        upgrade.endDate() != null ? upgrade.endDate() : sub.endDate(), null, false,
                        false, upgrade.quantity(), List.of(new Contribution(from, upgrade.quantity()))));
            }
            case FULL_UPGRADE -> fullUpgrade(next, event);
            case RENEWAL -> {
                Model model = next.get(sub.id());
                if (model != null) {
                    if (sub.renewsAutomatically()) {
                        if (model.end() != null && sub.endDate().isAfter(model.end())) {
                            next.put(sub.id(), renewed(model, sub.endDate()));
                        }
                    } else if (model.end() == null || model.end().isAfter(sub.endDate())) {
                        next.put(sub.id(), model.withEnd(sub.endDate()));
                    }
                }
            }
            case CANCEL -> {
                Model m = next.get(sub.id());
                if (m != null) {
                    boolean invoiced = m.invoiced() || (invoicedBefore != null && m.billingStart().isBefore(invoicedBefore));
                    m = new Model(m.start(), m.billingStart(), m.baseFrom(), m.end(), m.stopFrom(), m.voided(), invoiced,
                            m.current(), m.contributions(), m.upgradedOn());
                    LocalDate stop = !m.invoiced() ? null
                            : rules.cancellation() == SyncRules.Cancellation.CANCEL_PER_CANCELLATION_DATE ? day
                            : day.with(TemporalAdjusters.lastDayOfMonth()).plusDays(1);
                    LocalDate stopFrom = m.stopFrom() == null ? stop : stop == null ? m.stopFrom()
                            : stop.isBefore(m.stopFrom()) ? stop : m.stopFrom();
                    next.put(sub.id(), new Model(m.start(), m.billingStart(), m.baseFrom(), m.end(), stopFrom,
                            m.voided() || !m.invoiced(), m.invoiced(), m.current(), m.contributions(), m.upgradedOn()));
                }
            }
            case PRICE_CHANGE, USAGE -> {
                // prices and usage amounts do not change licences
            }
        }
        return new ExpectedLicences(rules, mapping, next, invoicedBefore);
    }

    /**
     * A renewed term bills the subscription's current licences from the day after the old end; changes
     * that only took effect after the old end are part of that count.
     */
    private static Model renewed(Model model, LocalDate newEnd) {
        LocalDate first = latest(model.end().plusDays(1), model.baseFrom());
        List<Contribution> kept = new ArrayList<>(model.contributions().stream().filter(c -> c.from().isBefore(first)).toList());
        int level = kept.stream().mapToInt(Contribution::quantity).sum();
        if (model.current() != level) {
            kept.add(new Contribution(first, model.current() - level));
        }
        return new Model(model.start(), model.billingStart(), model.baseFrom(), newEnd, model.stopFrom(), model.voided(),
                model.invoiced(), model.current(), List.copyOf(kept), model.upgradedOn());
    }

    private Model started(String id, LocalDate start, int quantity, LocalDate end, boolean useFromDate) {
        LocalDate billingStart = latest(latest(start, useFromDate ? mapping.fromDate() : null), mapping.agreementStartDate());
        return new Model(start, billingStart, billingStart, end, null, false, false, quantity,
                List.of(new Contribution(billingStart, quantity)));
    }

    /** A licence change to {@code quantity} on {@code day}, for SaaS subscriptions. */
    private void changeTo(Map<String, Model> models, Subscription sub, LocalDate day, int quantity) {
        Model model = models.get(sub.id());
        if (model == null || sub.isIaas()) {
            return;
        }
        LocalDate upgradedOn = model.upgradedOn();
        if (upgradedOn != null && day.isBefore(upgradedOn)) {
            // a change dated before a full upgrade, arriving after it: the old product's count from the change's date until
            // the upgrade, which replaced the licences from its day on (the current count is the new product's)
            int before = sub.previousQuantity() != null ? sub.previousQuantity() : model.on(day);
            int delta = quantity - before;
            LocalDate from = latest(countsFrom(model, day, delta, model.billingStart()), model.billingStart());
            LocalDate upgradeDay = latest(upgradedOn, model.billingStart());
            if (delta == 0 || !from.isBefore(upgradeDay)) {
                return;
            }
            List<Contribution> contributions = new ArrayList<>(model.contributions());
            contributions.add(new Contribution(from, delta));
            contributions.add(new Contribution(upgradeDay, -delta));
            models.put(sub.id(), model.with(contributions, model.current()));
            return;
        }
        int delta = quantity - model.current();
        if (delta == 0) {
            return;
        }
        LocalDate from = countsFrom(model, day, delta, model.baseFrom());
        from = latest(from, model.baseFrom()); // never before the billing start of the current product
        List<Contribution> contributions = new ArrayList<>(model.contributions());
        contributions.add(new Contribution(from, delta));
        models.put(sub.id(), model.with(contributions, quantity));
    }

    /** The day a change of {@code delta} on {@code day} counts from under the partner's rules ({@code baseFrom} on the purchase date). */
    private LocalDate countsFrom(Model model, LocalDate day, int delta, LocalDate baseFrom) {
        if (!day.isAfter(model.start().plusDays(1))) {
            return baseFrom; // purchase date: counts from the start (of the product's line)
        } else if (delta > 0) {
            return rules.positiveChange() == SyncRules.PositiveChange.ACTUAL_DATE ? day : day.withDayOfMonth(1);
        }
        return rules.negativeChange() == SyncRules.NegativeChange.ACTUAL_DATE ? day : day.withDayOfMonth(1).plusMonths(1);
    }

    private void fullUpgrade(Map<String, Model> models, SubscriptionEvent event) {
        Subscription sub = event.subscription();
        UpgradeTo upgrade = event.upgradeTo();
        Model old = models.get(sub.id());
        if (old == null) {
            return;
        }
        LocalDate day = latest(event.changeDate(), old.billingStart());
        int before = old.on(day);
        int quantity = upgrade.quantity() != null ? upgrade.quantity() : before;
        LocalDate end = upgrade.endDate() != null ? upgrade.endDate() : sub.endDate();
        List<Contribution> kept = new ArrayList<>(old.contributions().stream().filter(c -> !c.from().isAfter(day)).toList());
        String newId = upgrade.subscriptionId() != null ? upgrade.subscriptionId() : sub.id();
        if (newId.equals(sub.id())) {
            kept.add(new Contribution(day, quantity - before));
            models.put(sub.id(), new Model(old.start(), old.billingStart(), day, end, old.stopFrom(), old.voided(),
                    old.invoiced(), quantity, List.copyOf(kept), event.changeDate()));
        } else {
            kept.add(new Contribution(day, -before));
            Model upgraded = old.with(kept, 0);
            models.put(sub.id(), new Model(upgraded.start(), upgraded.billingStart(), upgraded.baseFrom(), upgraded.end(),
                    upgraded.stopFrom(), upgraded.voided(), upgraded.invoiced(), 0, upgraded.contributions(), event.changeDate()));
            models.putIfAbsent(newId, new Model(event.changeDate(), day, day, end, null, false, false, quantity,
                    List.of(new Contribution(day, quantity))));
        }
    }

    private static LocalDate latest(LocalDate a, LocalDate b) {
        return EffectiveDates.latest(a, b);
    }

}
