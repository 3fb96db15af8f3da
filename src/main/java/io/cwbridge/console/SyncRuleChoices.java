package io.cwbridge.console;

import io.cwbridge.rules.SyncRules;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.ProductField;
import io.cwbridge.syncrules.TaskSync;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sync rules screen's words (SPEC §4): every rule under its API name, its choices and what each
 * choice does to billing. Only words: the values are checked by the API's own validation
 * ({@code SyncRulesController}); {@code SyncRuleChoicesTest} keeps the choices equal to the enums.
 */
final class SyncRuleChoices {

    enum Kind { ONE_OF, FLAG, SUBSET }

    record Choice(String value, String label, String explanation) {}

    record Rule(String name, String title, String spec, Kind kind, List<Choice> choices) {}

    private SyncRuleChoices() {}

    /** A rule of one choice among several (an enum's values). */
    private static Rule oneOf(String name, String title, String spec, Choice... choices) {
        return new Rule(name, title, spec, Kind.ONE_OF, List.of(choices));
    }

    /** A rule that is on or off. */
    private static Rule flag(String name, String title, String spec, String on, String off) {
        return new Rule(name, title, spec, Kind.FLAG, List.of(new Choice("true", "On", on), new Choice("false", "Off", off)));
    }

    /** A rule of any subset of the fields (SPEC §4 names each by its JSON name). */
    private static <F> Rule subset(String name, String title, F[] fields, Function<F, String> json, Function<F, String> explanation) {
        return new Rule(name, title, "§4", Kind.SUBSET,
                Arrays.stream(fields).map(f -> new Choice(json.apply(f), json.apply(f), explanation.apply(f))).toList());
    }

    private static Choice c(Enum<?> value, String explanation) {
        return new Choice(value.name(), value.name(), explanation);
    }

    private static final Map<CompanyField, String> COMPANY = Map.of(
            CompanyField.NAME, "company name", CompanyField.ADDRESS, "street address", CompanyField.CITY, "city",
            CompanyField.STATE, "state", CompanyField.ZIP, "zip code", CompanyField.COUNTRY, "country");

    private static final Map<ProductField, String> PRODUCT = Map.of(
            ProductField.MANUFACTURER, "manufacturer", ProductField.NAME, "name (identifier)", ProductField.PRICE, "price",
            ProductField.COST, "cost", ProductField.MFG_PART_NUMBER, "manufacturer part number",
            ProductField.DESCRIPTION, "description");

    /** SPEC §4's rules in its order (the legacy syncPeriod is left out: task sync is the same rule). */
    static final List<Rule> RULES = List.of(
            oneOf("positiveChange", "Licence increase: effective date", "R12, R13",
                    c(SyncRules.PositiveChange.ACTUAL_DATE, "The added licences are billed from the day they were added: "
                            + "a new line starts on the change date and ends at the end of that month."),
                    c(SyncRules.PositiveChange.FIRST_OF_CURRENT_MONTH, "The added licences are billed for the whole month "
                            + "they were added in: the line starts on the 1st of that month (never before the agreement starts).")),
            oneOf("negativeChange", "Licence decrease: effective date", "R14, R15",
                    c(SyncRules.NegativeChange.ACTUAL_DATE, "Billing of the removed licences stops on the day of the change: "
                            + "a negative line runs from the change date to the end of the month."),
                    c(SyncRules.NegativeChange.FIRST_OF_NEXT_MONTH, "The removed licences are still billed to the end of "
                            + "this month; the reduction starts on the 1st of next month.")),
            oneOf("cancellation", "Service cancellation", "R21, R22",
                    c(SyncRules.Cancellation.CANCEL_PER_CANCELLATION_DATE, "Billing stops on the cancellation date: the "
                            + "base line ends at the end of the month and a negative line credits the days from the cancellation date."),
                    c(SyncRules.Cancellation.LAST_DAY_OF_MONTH, "The customer is billed to the end of the month the service "
                            + "was cancelled in; no credit line.")),
            oneOf("priceSource", "Price source", "R17",
                    c(SyncRules.PriceSource.MARKETPLACE, "Lines carry the unit price and cost of the marketplace order."),
                    c(SyncRules.PriceSource.CONNECTWISE_CATALOG, "Licence lines carry the mapped catalog item's price and cost, "
                            + "read from ConnectWise when a task is planned. Usage and setup amounts still come from the marketplace.")),
            flag("syncUnitPrice", "Sync unit price", "§4",
                    "The unit price (what the customer pays) is written to each line.",
                    "No unit price is written; ConnectWise keeps the price it has."),
            flag("syncUnitCost", "Sync unit cost", "§4",
                    "The unit cost (what you pay) is written to each line.",
                    "No unit cost is written; ConnectWise keeps the cost it has."),
            oneOf("saasInvoiceValues", "SaaS invoice values", "§4",
                    c(SyncRules.InvoiceValues.PRICE_AND_COST, "Licence (SaaS) lines carry price and cost."),
                    c(SyncRules.InvoiceValues.COST_ONLY, "Licence (SaaS) lines carry only the cost; the price is left to "
                            + "ConnectWise.")),
            oneOf("iaasInvoiceValues", "IaaS invoice values", "R24",
                    c(SyncRules.InvoiceValues.PRICE_AND_COST, "Usage (IaaS) lines carry the overuse price and cost."),
                    c(SyncRules.InvoiceValues.COST_ONLY, "Usage (IaaS) lines carry only the overuse cost; the price is left "
                            + "to ConnectWise.")),
            flag("iaasResourceDetailsInDescription", "IaaS resource details in the description", "R24",
                    "A usage line's description lists the resources the usage was for.",
                    "A usage line's description does not list the resources."),
            flag("includeSubscriptionInfo", "Subscription information in descriptions", "R25",
                    "Line descriptions name product, plan, manufacturer part number, subscription id and licences, so "
                            + "the invoice shows what is billed.",
                    "Line descriptions carry only the product name."),
            oneOf("proration", "Proration", "R17, R17a",
                    c(SyncRules.ProrationRule.CONNECTWISE, "The agreement's own Prorate setting decides; the bundle never "
                            + "prorates (a part month is billed as ConnectWise prorates it)."),
                    c(SyncRules.ProrationRule.MARKETPLACE, "On an agreement that does not prorate, a line starting inside "
                            + "a billing period carries the prorated price and cost (days left in the period, the first day counted).")),
            oneOf("invoicedCatchUp", "Changes in invoiced periods", "R27",
                    c(SyncRules.InvoicedCatchUp.REVIEW, "The part of a change that falls into an invoiced period becomes a "
                            + "catch-up amount listed on the task, in the console and in the daily digest, for a person to bill."),
                    c(SyncRules.InvoicedCatchUp.ADJUSTMENT, "That catch-up amount is also posted to the agreement as an "
                            + "adjustment, so the next invoice bills (or credits) it.")),
            subset("companyFields", "Company fields pushed", CompanyField.values(), CompanyField::json,
                    f -> "The ConnectWise company's " + COMPANY.get(f) + " follows the marketplace customer's."),
            subset("productFields", "Product fields pushed", ProductField.values(), ProductField::json,
                    f -> "The ConnectWise catalog item's " + PRODUCT.get(f) + " follows the marketplace product's."),
            flag("automaticSync", "Global sync", "R30, R18",
                    "Every day at 00:00 UTC the bundle pushes changed company, catalog and addition fields, folds ended "
                            + "change lines into the base line (month roll) and retries waiting tasks.",
                    "No daily run: changes reach ConnectWise only through the tasks (and a sync started by hand)."),
            oneOf("taskSync", "Task sync", "R31",
                    c(TaskSync.IMMEDIATE, "Each marketplace event is billed in ConnectWise as soon as it arrives."),
                    c(TaskSync.EVERY_5_MINUTES, "Tasks wait (PENDING) and go to ConnectWise every 5 minutes."),
                    c(TaskSync.DAILY, "Tasks wait (PENDING) and go to ConnectWise once a day at 00:00 UTC."),
                    c(TaskSync.MANUAL, "Nothing is billed until a person approves it: each task waits as AWAITING_APPROVAL "
                            + "with the operations it would send.")));

    static Rule rule(String name) {
        return RULES.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    static String names() {
        return RULES.stream().map(Rule::name).collect(Collectors.joining(", "));
    }
}
