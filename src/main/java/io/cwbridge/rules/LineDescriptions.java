package io.cwbridge.rules;

import io.cwbridge.events.Product;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Addition descriptions (R25). With "include subscription information": product name, plan name,
 * mfg part number, subscription id and licences; without it: product and plan name only. Lines
 * other than the base add what they are for, so an invoice reader can tell them apart.
 */
public final class LineDescriptions {

    private static final String SEPARATOR = " | ";

    private LineDescriptions() {
    }

    static String subscription(Product product, String subscriptionId, BigDecimal licences, boolean includeInfo) {
        List<String> parts = new ArrayList<>();
        String name = productName(product);
        if (!name.isEmpty()) {
            parts.add(name);
        }
        if (includeInfo) {
            if (product != null && notBlank(product.mfgPartNumber())) {
                parts.add(product.mfgPartNumber());
            }
            if (notBlank(subscriptionId)) {
                parts.add("Subscription " + subscriptionId);
            }
            if (licences != null) {
                parts.add(licences(licences));
            }
        }
        if (parts.isEmpty()) {
            parts.add("Subscription " + subscriptionId);
        }
        return String.join(SEPARATOR, parts);
    }

    static String delta(Product product, String subscriptionId, BigDecimal delta, BigDecimal total, LocalDate effective,
            boolean includeInfo) {
        return subscription(product, subscriptionId, total, includeInfo) + SEPARATOR + signed(delta) + " from " + effective;
    }

    static String cancellation(Product product, String subscriptionId, BigDecimal netted, LocalDate date, boolean includeInfo) {
        return subscription(product, subscriptionId, null, includeInfo) + SEPARATOR + "cancelled " + date + " ("
                + signed(netted.negate()) + ")";
    }

    static String upgradedAway(Product product, String subscriptionId, BigDecimal netted, Product to, LocalDate date,
            boolean includeInfo) {
        return subscription(product, subscriptionId, null, includeInfo) + SEPARATOR + "upgraded to " + productName(to) + " on "
                + date + " (" + signed(netted.negate()) + ")";
    }

    static String usage(Product product, String subscriptionId, LocalDate from, LocalDate to, List<String> details,
            boolean includeInfo) {
        String text = subscription(product, subscriptionId, null, includeInfo) + SEPARATOR + "usage " + from + " to " + to;
        if (details != null && !details.isEmpty()) {
            text += SEPARATOR + String.join("; ", details);
        }
        return text;
    }

    static String setup(Product product, String subscriptionId, boolean includeInfo) {
        return subscription(product, subscriptionId, null, includeInfo) + SEPARATOR + "setup";
    }

    /** Description of a line R26 adds next to an invoiced one. */
    static String adjustment(String original, String what) {
        return (original == null || original.isBlank() ? "" : original + SEPARATOR) + what;
    }

    private static final java.util.regex.Pattern LICENCES =
            java.util.regex.Pattern.compile("(^|\\Q" + SEPARATOR + "\\E)-?\\d+(?:\\.\\d+)? licences?(?=\\Q" + SEPARATOR + "\\E|$)");

    /**
     * The description with its "N licences" part showing {@code count} (R18 keeps the base's text right; R8 a base line
     * moved to another agreement with more or fewer licences than A's line had).
     */
    public static String withLicences(String description, BigDecimal count) {
        if (description == null) {
            return null;
        }
        java.util.regex.Matcher matcher = LICENCES.matcher(description);
        if (!matcher.find()) {
            return description;
        }
        return description.substring(0, matcher.start()) + matcher.group(1) + licences(count)
                + description.substring(matcher.end());
    }

    static String productName(Product product) {
        if (product == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (notBlank(product.name())) {
            parts.add(product.name());
        }
        if (notBlank(product.plan()) && !product.plan().equals(product.name())) {
            parts.add(product.plan());
        }
        return String.join(" - ", parts);
    }

    static String signed(BigDecimal value) {
        String plain = value.stripTrailingZeros().toPlainString();
        return value.signum() > 0 ? "+" + plain : plain;
    }

    static String licences(BigDecimal count) {
        String plain = count.stripTrailingZeros().toPlainString();
        return plain + (count.compareTo(BigDecimal.ONE) == 0 ? " licence" : " licences");
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
