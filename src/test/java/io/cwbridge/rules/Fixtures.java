package io.cwbridge.rules;

import io.cwbridge.events.Address;
import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Customer;
import io.cwbridge.events.EventAction;
import io.cwbridge.events.Product;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.events.UpgradeTo;
import io.cwbridge.events.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Events and lines for the rule tests: the SPEC §8.1 example subscription by default. */
final class Fixtures {

    static final String SUB = "e6024e7f-5b54-4878-df3b-9acaaddbe0de";
    static final long AGREEMENT = 42;
    static final long CATALOG = 7;
    static final long NEW_CATALOG = 8;
    static final Product PRODUCT = new Product("CFQ7TTC0LCHC:0002", "Microsoft CSP", 30, "Microsoft 365 NCE",
            "Microsoft 365 Business Premium", "CFQ7TTC0LCHC:0002:P1", "Business Premium, monthly");
    static final Product NEW_PRODUCT = new Product("CFQ7TTC0LCHC:0003", "Microsoft CSP", 30, "Microsoft 365 NCE",
            "Microsoft 365 E3", "CFQ7TTC0LCHC:0003:P1", "E3, monthly");
    static final Customer CUSTOMER = new Customer("65533", "Chairs Unlimited",
            new Address("1 Main St", null, "Tampa", "FL", "33601", "US"));

    private Fixtures() {
    }

    static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    static LocalDate date(String iso) {
        return LocalDate.parse(iso);
    }

    static MappingContext mapping() {
        return new MappingContext(AGREEMENT, date("2024-02-01"), CATALOG, NEW_CATALOG, null);
    }

    /** A subscription snapshot builder. */
    static final class Sub {
        String id = SUB;
        Product product = PRODUCT;
        SubscriptionKind kind = SubscriptionKind.SAAS;
        Integer quantity = 10;
        Integer previousQuantity;
        BigDecimal unitPrice = dec("22.00");
        BigDecimal unitCost = dec("18.70");
        String currency = "USD";
        BillingCycle cycle = BillingCycle.MONTHLY;
        LocalDate start = date("2024-02-14");
        LocalDate end = date("2025-02-13");
        boolean autoRenew = true;
        BigDecimal setupAmount;

        Sub id(String value) { id = value; return this; }
        Sub quantity(int value) { quantity = value; return this; }
        Sub change(int from, int to) { previousQuantity = from; quantity = to; return this; }
        Sub price(String price, String cost) { unitPrice = price == null ? null : dec(price); unitCost = cost == null ? null : dec(cost); return this; }
        Sub start(String value) { start = date(value); return this; }
        Sub end(String value) { end = value == null ? null : date(value); return this; }
        Sub autoRenew(boolean value) { autoRenew = value; return this; }
        Sub iaas() { kind = SubscriptionKind.IAAS; return this; }
        Sub yearly() { cycle = BillingCycle.YEARLY; return this; }
        Sub currency(String value) { currency = value; return this; }
        Sub setup(String value) { setupAmount = dec(value); return this; }
        Sub product(Product value) { product = value; return this; }

        Subscription build() {
            return new Subscription(id, CUSTOMER, product, kind, quantity, previousQuantity, unitPrice, unitCost, currency, cycle,
                    cycle == BillingCycle.YEARLY ? 12 : 1, start, end, autoRenew, "ACTIVE", setupAmount);
        }
    }

    static Sub sub() {
        return new Sub();
    }

    static SubscriptionEvent event(EventAction action, String day, Sub sub) {
        return event(action, day, sub.build(), null, null, null);
    }

    static SubscriptionEvent event(EventAction action, String day, Subscription sub, UpgradeTo upgrade, Usage usage,
            LocalDate cancellationDate) {
        return new SubscriptionEvent("evt-" + action + "-" + day, "acme-msp", action.type(), action,
                date(day).atTime(14, 2).toInstant(ZoneOffset.UTC), sub, upgrade, usage, cancellationDate);
    }

    static SubscriptionEvent salesOrder(Sub sub) {
        return event(EventAction.NEW, sub.start.toString(), sub);
    }

    static SubscriptionEvent increase(String day, int from, int to) {
        return event(EventAction.LICENSE_INCREASE, day, sub().change(from, to));
    }

    static SubscriptionEvent decrease(String day, int from, int to) {
        return event(EventAction.LICENSE_DECREASE, day, sub().change(from, to));
    }

    static SubscriptionEvent cancel(String day, int quantity) {
        return event(EventAction.CANCEL, day, sub().quantity(quantity));
    }

    static SubscriptionEvent fullUpgrade(String day, int quantity, String newSubscriptionId) {
        UpgradeTo upgrade = new UpgradeTo(newSubscriptionId, NEW_PRODUCT, quantity, dec("36.00"), dec("30.60"), null);
        return event(EventAction.FULL_UPGRADE, day, sub().quantity(quantity).build(), upgrade, null, null);
    }

    static SubscriptionEvent partialUpgrade(String day, int from, int remaining, String newSubscriptionId) {
        UpgradeTo upgrade = new UpgradeTo(newSubscriptionId, NEW_PRODUCT, from - remaining, dec("36.00"), dec("30.60"),
                date("2025-03-14"));
        return event(EventAction.PARTIAL_UPGRADE, day, sub().change(from, remaining).build(), upgrade, null, null);
    }

    static SubscriptionEvent usage(Sub sub, String from, String to, String amount, String price, String cost, List<String> details) {
        Usage usage = new Usage(date(from), date(to), dec(amount), dec(price), dec(cost), details);
        return event(EventAction.USAGE, to, sub.build(), null, usage, null);
    }

    /** The base line a sales order for {@link #sub()} makes: 10 licences from 2024-02-14, open. */
    static AdditionLine base(long id, int quantity, String effective, String cancelled) {
        return new AdditionLine(id, LineKey.of(SUB, LineRole.BASE, date(effective)), CATALOG, BigDecimal.valueOf(quantity),
                dec("22.00"), dec("18.70"), date(effective), cancelled == null ? null : date(cancelled), false,
                "Microsoft 365 NCE - Microsoft 365 Business Premium | CFQ7TTC0LCHC:0002:P1 | Subscription " + SUB + " | "
                        + quantity + " licences", null);
    }

    static AdditionLine delta(long id, int quantity, String effective, String cancelled) {
        return new AdditionLine(id, LineKey.of(SUB, LineRole.DELTA, date(effective)), CATALOG, BigDecimal.valueOf(quantity),
                dec("22.00"), dec("18.70"), date(effective), date(cancelled), false, "delta", null);
    }

    static SubscriptionLines lines(AdditionLine... lines) {
        return SubscriptionLines.of(lines);
    }

    /** Base of 10 from 2024-02-14, open (the §8.1 subscription after its sales order). */
    static SubscriptionLines openBase() {
        return lines(base(100, 10, "2024-02-14", null));
    }

    static SubscriptionLines invoicedBase() {
        return lines(base(100, 10, "2024-02-14", null).asInvoiced());
    }

    static AdditionPlan plan(SubscriptionEvent event, SubscriptionLines lines, SyncRules rules) {
        return AdditionRules.plan(event, lines, mapping(), rules);
    }

    /** R10: the licences the lines bill on each day given, as pairs of day and count. */
    static void assertLicences(SubscriptionLines lines, Object... dayAndCount) {
        for (int i = 0; i < dayAndCount.length; i += 2) {
            org.assertj.core.api.Assertions.assertThat(lines.quantityOn(date((String) dayAndCount[i]))).as("licences on %s", dayAndCount[i])
                    .isEqualByComparingTo(BigDecimal.valueOf((Integer) dayAndCount[i + 1]));
        }
    }

    static SyncRules rules() {
        return SyncRules.defaults();
    }

    static SyncRules rules(SyncRules.PositiveChange positive, SyncRules.NegativeChange negative, SyncRules.Cancellation cancellation) {
        return SyncRules.defaults().withPositiveChange(positive).withNegativeChange(negative).withCancellation(cancellation);
    }
}
