package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OrderByTest {

    private static final JsonNode DOCS = SandboxJson.parse("""
            [{"id": 1, "name": "beta", "quantity": 10},
             {"id": 2, "name": "Alpha", "quantity": 2.5},
             {"id": 3, "quantity": 10},
             {"id": 4, "name": "alpha2", "quantity": 100}]""");

    private static List<Integer> order(String orderBy) {
        return StreamSupport.stream(DOCS.spliterator(), false)
                .sorted(OrderBy.parse(orderBy).comparator())
                .map(d -> d.path("id").asInt()).toList();
    }

    @Test
    void sortsNumbersNumericallyTextIgnoringCaseAndMissingFirst() {
        assertThat(order(null)).containsExactly(1, 2, 3, 4);
        assertThat(order("id desc")).containsExactly(4, 3, 2, 1);
        assertThat(order("quantity")).containsExactly(2, 1, 3, 4);
        assertThat(order("name asc")).containsExactly(3, 2, 4, 1);
        assertThat(order("quantity desc, id desc")).containsExactly(4, 3, 1, 2);
    }

    @Test
    void refusesOtherDirections() {
        assertThatThrownBy(() -> OrderBy.parse("id sideways")).isInstanceOf(ConditionsException.class);
        assertThatThrownBy(() -> OrderBy.parse("id desc extra")).isInstanceOf(ConditionsException.class);
        assertThatThrownBy(() -> OrderBy.parse(", id")).isInstanceOf(ConditionsException.class);
    }
}
