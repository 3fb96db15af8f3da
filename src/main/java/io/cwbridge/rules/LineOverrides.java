package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * R31 (issue 15): checks a person's {@link LineOverride} against SPEC's rules and applies it to a
 * task's plan. Pure; the same function makes the plan shown while the task waits and the plan sent.
 *
 * <p>What an override touches: the lines the task creates, and the lines it updates other than an
 * invoiced line's new end (R26: such an update takes only a cancelled date); deletions stay as the rules
 * decided. Dates never go into a period ConnectWise has invoiced on an agreement that does not prorate
 * and invoice prorated additions (R27); a date the agreement has invoiced since the override was set is
 * not applied and the plan says so.
 */
public final class LineOverrides {

    /** Bounds of what a person may enter (and the bundle stores): far above any real subscription. */
    static final BigDecimal MAX_QUANTITY = new BigDecimal("999999999");
    static final BigDecimal MAX_AMOUNT = new BigDecimal("999999999999.99");

    private LineOverrides() {}

    /** A value of the override SPEC's rules refuse: the JSON field and why. */
    public record Problem(String field, String message) {}

    /**
     * @param subscription the task's subscription (its term bounds the dates); null when unknown
     * @param billing      how the task's agreement invoices; {@link AgreementBilling#unknown()} before it is mapped
     */
    public static List<Problem> check(LineOverride o, Subscription subscription, AgreementBilling billing) {
        List<Problem> problems = new ArrayList<>();
        if (o.quantity() != null && (o.quantity().signum() < 0 || o.quantity().stripTrailingZeros().scale() > 0
                || o.quantity().compareTo(MAX_QUANTITY) > 0)) {
            problems.add(new Problem("quantity", "must be a whole number of licences, 0 to " + MAX_QUANTITY.toPlainString()));
        }
        money(problems, "unitPrice", o.unitPrice());
        money(problems, "unitCost", o.unitCost());
        if (o.billCustomer() != null && !LineOverride.BILL_CUSTOMER.contains(o.billCustomer())) {
            problems.add(new Problem("billCustomer", "must be one of " + LineOverride.BILL_CUSTOMER));
        }
        if (o.priceSource() == SyncRules.PriceSource.CONNECTWISE_CATALOG && (o.unitPrice() != null || o.unitCost() != null)) {
            problems.add(new Problem("priceSource", "CONNECTWISE_CATALOG takes the catalog item's price and cost; "
                    + "leave unitPrice and unitCost out"));
        }
        if (o.effectiveDate() != null && o.cancelledDate() != null && o.cancelledDate().isBefore(o.effectiveDate())) {
            problems.add(new Problem("cancelledDate", "must not be before effectiveDate " + o.effectiveDate()));
        }
        date(problems, "effectiveDate", o.effectiveDate(), subscription, billing);
        date(problems, "cancelledDate", o.cancelledDate(), subscription, billing);
        return problems;
    }

    private static void money(List<Problem> problems, String field, BigDecimal value) {
        if (value != null && (value.signum() < 0 || value.stripTrailingZeros().scale() > 2 || value.compareTo(MAX_AMOUNT) > 0)) {
            problems.add(new Problem(field, "must be 0 or more (at most " + MAX_AMOUNT.toPlainString() + ") with at most 2 decimals"));
        }
    }

    private static void date(List<Problem> problems, String field, LocalDate day, Subscription s, AgreementBilling billing) {
        if (day == null) return;
        if (s != null && s.startDate() != null && day.isBefore(s.startDate())) {
            problems.add(new Problem(field, "must not be before the subscription's start " + s.startDate()));
        } else if (s != null && s.endDate() != null && day.isAfter(s.endDate())) {
            problems.add(new Problem(field, "must not be after the subscription's end " + s.endDate()));
        } else if (intoInvoiced(day, billing)) {
            problems.add(new Problem(field, invoicedMessage(billing)));
        }
    }

    /** R27: a date before the next invoice date N of an agreement that does not keep dates in invoiced periods. */
    static boolean intoInvoiced(LocalDate day, AgreementBilling billing) {
        return day != null && billing != null && !billing.keepsDates() && billing.invoiced(day);
    }

    private static String invoicedMessage(AgreementBilling billing) {
        return "falls in a period ConnectWise has invoiced (next invoice date " + billing.nextInvoiceDate()
                + ") on an agreement that does not prorate and invoice prorated additions (R27)";
    }

    /**
     * The plan with the override applied (R31). Notes say what was applied and what could not be.
     *
     * @param currency the subscription's currency, for the scale of recomputed R17a amounts
     */
    public static AdditionPlan apply(AdditionPlan plan, LineOverride o, Subscription subscription, AgreementBilling billing) {
        if (o == null || o.isEmpty() || plan == null) return plan;
        List<String> notes = new ArrayList<>(plan.notes());
        LocalDate effective = o.effectiveDate();
        LocalDate cancelled = o.cancelledDate();
        if (intoInvoiced(effective, billing)) {
            notes.add("task override effectiveDate " + effective + " not applied: " + invoicedMessage(billing));
            effective = null;
        }
        if (intoInvoiced(cancelled, billing)) {
            notes.add("task override cancelledDate " + cancelled + " not applied: " + invoicedMessage(billing));
            cancelled = null;
        }
        String currency = subscription == null ? null : subscription.currency();
        List<PlannedOperation> ops = new ArrayList<>();
        boolean touched = false;
        for (PlannedOperation op : plan.operations()) {
            PlannedOperation changed = op.kind() == PlannedOperation.Kind.DELETE ? op
                    : apply(op, o, effective, cancelled, currency, notes);
            touched |= changed != op;
            ops.add(changed);
        }
        if (!touched) notes.add("task override (" + String.join(", ", o.names()) + ") changes none of this plan's lines");
        return new AdditionPlan(ops, notes, plan.catchUps());
    }

    private static PlannedOperation apply(PlannedOperation op, LineOverride o, LocalDate effective, LocalDate cancelled,
            String currency, List<String> notes) {
        LineFields f = op.fields();
        boolean create = op.kind() == PlannedOperation.Kind.CREATE;
        if (!create && PlanBuilder.onlyChangesCancelledDate(f)) {
            // R26: an invoiced line's new end is the one edit it takes.
            if (cancelled == null) return op;
            return new PlannedOperation(op.kind(), op.line(), op.agreementId(), op.additionId(), with(f, f.quantity(), f.unitPrice(),
                    f.unitCost(), f.effectiveDate(), cancelled, f.description(), f.billCustomer(), f.taxableFlag(),
                    f.proratePrice(), f.prorateCost()), op.reason() + "; task override (R31): cancelledDate", op.prorated());
        }
        List<String> applied = new ArrayList<>();
        LocalDate eff = f.effectiveDate();
        if (effective != null && (create || eff != null)) { eff = effective; applied.add("effectiveDate"); }
        LocalDate end = f.cancelledDate();
        if (cancelled != null && (create || end != null)) {
            if (eff != null && cancelled.isBefore(eff)) {
                notes.add("task override cancelledDate " + cancelled + " not applied to " + op.line() + ": before its effective date " + eff);
            } else {
                end = cancelled;
                applied.add("cancelledDate");
            }
        }
        String description = f.description();
        if (o.description() != null) { description = o.description(); applied.add("description"); }
        BigDecimal quantity = f.quantity();
        if (o.quantity() != null && quantity != null) {
            quantity = quantity.signum() < 0 ? o.quantity().negate() : o.quantity();
            applied.add("quantity");
            // The rules' text names the line's licences (R25 "| 10 licences"): it keeps telling the truth.
            if (o.description() == null) description = LineDescriptions.withLicences(description, quantity);
        }
        BigDecimal price = f.unitPrice();
        BigDecimal cost = f.unitCost();
        // R17: the override's price source is not applied here: task planning plans the task with it (sync/TaskPlanner),
        // so each line carries the price of its own product (an upgrade's new one too)
        if (o.unitPrice() != null) { price = o.unitPrice(); applied.add("unitPrice"); }
        if (o.unitCost() != null) { cost = o.unitCost(); applied.add("unitCost"); }
        String bill = f.billCustomer();
        if (o.billCustomer() != null) { bill = o.billCustomer(); applied.add("billCustomer"); }
        Boolean taxable = f.taxableFlag();
        if (o.taxableFlag() != null) { taxable = o.taxableFlag(); applied.add("taxableFlag"); }
        if (applied.isEmpty()) return op;

        // R17a: amounts of the first, partial period follow the line's new date and prices.
        ProratedAmounts prorated = op.prorated();
        BigDecimal proratePrice = f.proratePrice();
        BigDecimal prorateCost = f.prorateCost();
        boolean moved = !java.util.Objects.equals(eff, f.effectiveDate()) || !LineFields.sameAmount(price, f.unitPrice())
                || !LineFields.sameAmount(cost, f.unitCost()) || (create && !java.util.Objects.equals(end, f.cancelledDate()));
        if (prorated != null && moved && eff != null) {
            Proration.Period period = new Proration.Period(prorated.periodStart(), prorated.periodEnd());
            if (period.contains(eff)) {
                // R17a: the line's active days of its first period, to its (overridden) end when that falls inside it
                LocalDate last = create ? end : null;
                BigDecimal p = Proration.prorate(price, eff, last, period, currency);
                BigDecimal c = Proration.prorate(cost, eff, last, period, currency);
                prorated = new ProratedAmounts(prorated.periodStart(), prorated.periodEnd(),
                        Proration.activeDays(eff, last, period), prorated.daysInPeriod(), p, c,
                        prorated.written());
                if (proratePrice != null || prorateCost != null) { proratePrice = p; prorateCost = c; }
            } else {
                notes.add("R17a amounts of " + op.line() + " left to ConnectWise: the overridden date is outside their period");
                prorated = null;
                proratePrice = null;
                prorateCost = null;
            }
        }
        LineKey key = create && eff != null && !eff.equals(op.line().effectiveDate())
                ? new LineKey(op.line().subscriptionId(), op.line().role(), eff, op.line().revision()) : op.line();
        LineFields fields = with(f, quantity, price, cost, eff, end, description, bill, taxable, proratePrice, prorateCost);
        return new PlannedOperation(op.kind(), key, op.agreementId(), op.additionId(), fields,
                op.reason() + "; task override (R31): " + String.join(", ", applied), prorated);
    }

    private static LineFields with(LineFields f, BigDecimal quantity, BigDecimal price, BigDecimal cost, LocalDate effective,
            LocalDate cancelled, String description, String bill, Boolean taxable, BigDecimal proratePrice, BigDecimal prorateCost) {
        boolean clear = f.clearCancelledDate() && cancelled == null;
        return new LineFields(f.catalogItemId(), quantity, price, cost, effective, cancelled, clear, description,
                f.invoiceDescription(), bill, proratePrice, prorateCost, taxable);
    }
}
