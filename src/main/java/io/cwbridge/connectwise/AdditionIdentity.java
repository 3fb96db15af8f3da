package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The addition a create would make, to find it after an ambiguous failure (R16: the subscription is in the
 * description and there is one delta line per effective date, so this is unique). ConnectWise is asked only by exact,
 * non-text fields: {@code product/id}, {@code quantity} and the effective date as a window of a day either side (a
 * server's time zone could move the time part, see {@link ConnectWiseConditions#sameDay}). The description, the
 * days and the rest are compared here, exactly: in a ConnectWise string condition {@code *} is a wildcard and
 * {@code [} must be written {@code [[]} (Developer Guide, "Conditions" and "Escaping Characters"), so
 * {@code description="… [NCE] …"} would not find the line it names, and a miss posts the line twice (probe 48, P48-2).
 *
 * <p>A null field is not compared (a null {@code cancelledDate}: the line's end is not looked at, as before).
 */
public record AdditionIdentity(Long catalogItemId, BigDecimal quantity, LocalDate effectiveDate, LocalDate cancelledDate,
                               String description) {

    /** The identity of the line {@code fields} would create. */
    public static AdditionIdentity of(AdditionFields fields) {
        return new AdditionIdentity(fields.catalogItemId(), fields.quantity(), fields.effectiveDate(),
                fields.cancelledDate(), fields.description());
    }

    /** ConnectWise conditions that answer at least the line (none when nothing but text is known: every line). */
    public String conditions() {
        List<String> terms = new ArrayList<>();
        if (catalogItemId != null) terms.add("product/id=" + catalogItemId);
        if (quantity != null) terms.add("quantity=" + quantity.toPlainString());
        if (effectiveDate != null) {
            terms.add("effectiveDate>=" + ConnectWiseConditions.date(effectiveDate.minusDays(1)));
            terms.add("effectiveDate<=" + ConnectWiseConditions.date(effectiveDate.plusDays(1)));
        }
        return terms.isEmpty() ? null : String.join(" and ", terms);
    }

    /** Whether ConnectWise's {@code addition} is this line: every known field equal, text exactly, dates by day. */
    public boolean matches(JsonNode addition) {
        if (catalogItemId != null && addition.path("product").path("id").asLong(-1) != catalogItemId) return false;
        if (quantity != null) {
            JsonNode q = addition.path("quantity");
            if (!q.isNumber() && !q.isTextual()) return false;
            BigDecimal stored;
            try {
                stored = q.isNumber() ? q.decimalValue() : new BigDecimal(q.asText());
            } catch (NumberFormatException e) {
                return false;
            }
            if (stored.compareTo(quantity) != 0) return false;
        }
        if (effectiveDate != null && !ConnectWiseConditions.sameDay(text(addition, "effectiveDate"), effectiveDate)) return false;
        if (cancelledDate != null && !ConnectWiseConditions.sameDay(text(addition, "cancelledDate"), cancelledDate)) return false;
        return description == null || description.equals(text(addition, "description"));
    }

    /** The look-up for {@link ConnectWiseClient#createOnce}. */
    public ConnectWiseLookup lookup() {
        return new ConnectWiseLookup(conditions(), this::matches);
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
