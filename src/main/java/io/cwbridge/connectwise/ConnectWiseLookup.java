package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How to find one record in ConnectWise: {@code conditions} narrow the answer on the server (null: every record),
 * {@code same} picks the record out of it here. ConnectWise's string conditions take {@code *} as a wildcard and
 * {@code [} as the start of a pattern ({@link ConnectWiseConditions}), so text is compared by {@code same}, exactly;
 * conditions hold exact fields (ids, numbers, dates) and, at most, text that only narrows.
 */
public record ConnectWiseLookup(String conditions, Predicate<JsonNode> same) {

    public ConnectWiseLookup {
        Objects.requireNonNull(same, "same");
    }

    /** Every record the conditions answer is the one (conditions of exact, non-text fields only). */
    public static ConnectWiseLookup exactly(String conditions) {
        return new ConnectWiseLookup(conditions, record -> true);
    }

    /** The same, the record also passing {@code also} (e.g. not already another write's). */
    public ConnectWiseLookup and(Predicate<JsonNode> also) {
        return new ConnectWiseLookup(conditions, same.and(also));
    }

    /** The first of {@code answer} that is the record looked for. */
    public Optional<JsonNode> first(List<JsonNode> answer) {
        return answer.stream().filter(same).findFirst();
    }
}
