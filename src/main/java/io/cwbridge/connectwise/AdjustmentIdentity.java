package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The agreement adjustment a create would make ({@code amount}, {@code effectiveDate}, {@code description}), to find it
 * after an ambiguous failure, as {@link AdditionIdentity} finds an addition: ConnectWise is asked by the amount and the
 * effective date (a window of a day either side), the description is compared here, exactly (a ConnectWise string
 * condition is a pattern: {@code *} a wildcard, {@code [} written {@code [[]}). A null field is not compared.
 */
public record AdjustmentIdentity(BigDecimal amount, LocalDate effectiveDate, String description) {

    /** ConnectWise conditions that answer at least the adjustment (null: every adjustment of the agreement). */
    public String conditions() {
        List<String> terms = new ArrayList<>();
        if (amount != null) terms.add("amount=" + amount.toPlainString());
        if (effectiveDate != null) {
            terms.add("effectiveDate>=" + ConnectWiseConditions.date(effectiveDate.minusDays(1)));
            terms.add("effectiveDate<=" + ConnectWiseConditions.date(effectiveDate.plusDays(1)));
        }
        return terms.isEmpty() ? null : String.join(" and ", terms);
    }

    /** Whether ConnectWise's {@code adjustment} is this one: the amount by value, the day, the description exactly. */
    public boolean matches(JsonNode adjustment) {
        if (amount != null) {
            JsonNode a = adjustment.path("amount");
            if (!a.isNumber() || a.decimalValue().compareTo(amount) != 0) return false;
        }
        JsonNode day = adjustment.get("effectiveDate");
        if (effectiveDate != null && !ConnectWiseConditions.sameDay(day == null || day.isNull() ? null : day.asText(), effectiveDate)) {
            return false;
        }
        JsonNode text = adjustment.get("description");
        return description == null || (text != null && !text.isNull() && description.equals(text.asText()));
    }

    /** The look-up for {@link ConnectWiseClient#createOnce} and {@link ConnectWiseClient#find}. */
    public ConnectWiseLookup lookup() {
        return new ConnectWiseLookup(conditions(), this::matches);
    }
}
