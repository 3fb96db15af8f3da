package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static final Set<String> FIELDS = Resource.ADDITION.fields().keySet();

    private static ObjectNode doc() {
        return (ObjectNode) SandboxJson.parse("""
                {"id": 3, "product": {"id": 5, "identifier": "AZ-365"}, "quantity": 10, "unitPrice": 22.00,
                 "cancelledDate": "2024-04-30T00:00:00Z", "description": "line"}""");
    }

    private static ObjectNode apply(String patch) {
        return JsonPatch.apply(doc(), JsonPatch.parse(SandboxJson.parse(patch)), FIELDS);
    }

    @Test
    void replaceAddAndRemoveSetOrClearTopLevelFields() {
        ObjectNode patched = apply("""
                [{"op": "replace", "path": "quantity", "value": 12},
                 {"op": "add", "path": "/invoiceDescription", "value": "x"},
                 {"op": "remove", "path": "cancelledDate"}]""");

        assertThat(patched.get("quantity").asInt()).isEqualTo(12);
        assertThat(patched.get("invoiceDescription").asText()).isEqualTo("x");
        assertThat(patched.has("cancelledDate")).isFalse();
        assertThat(patched.get("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(patched.get("unitPrice").toString()).isEqualTo("22.00");
    }

    @Test
    void leavesTheOriginalUntouchedAndAppliesInOrder() {
        ObjectNode original = doc();
        ObjectNode patched = JsonPatch.apply(original, JsonPatch.parse(SandboxJson.parse("""
                [{"op": "replace", "path": "quantity", "value": 1}, {"op": "replace", "path": "quantity", "value": 2}]""")),
                FIELDS);
        assertThat(patched.get("quantity").asInt()).isEqualTo(2);
        assertThat(original.get("quantity").asInt()).isEqualTo(10);
    }

    @Test
    void replacesAReferenceAsAWholeObject() {
        ObjectNode patched = apply("[{\"op\": \"replace\", \"path\": \"product\", \"value\": {\"id\": 7}}]");
        assertThat(patched.get("product").toString()).isEqualTo("{\"id\":7}");
    }

    @Test
    void aSubPathIsAcceptedButChangesNothingLikeTheRealApi() {
        ObjectNode patched = apply("[{\"op\": \"replace\", \"path\": \"product/id\", \"value\": 7}]");
        assertThat(patched).isEqualTo(doc());
    }

    @Test
    void replacingWithNullClearsTheField() {
        assertThat(apply("[{\"op\": \"replace\", \"path\": \"description\", \"value\": null}]").has("description")).isFalse();
    }

    @Test
    void fieldNamesAreCaseSensitive() {
        assertThatThrownBy(() -> apply("[{\"op\": \"replace\", \"path\": \"Quantity\", \"value\": 1}]"))
                .isInstanceOfSatisfying(JsonPatchException.class, e -> assertThat(e.field()).isEqualTo("Quantity"));
    }

    @Test
    void refusesWhatIsNotAPatch() {
        for (String bad : List.of("{}", "[]", "[1]", "[{\"op\": \"move\", \"path\": \"quantity\", \"from\": \"x\"}]",
                "[{\"op\": \"test\", \"path\": \"quantity\", \"value\": 1}]", "[{\"path\": \"quantity\", \"value\": 1}]",
                "[{\"op\": \"replace\", \"value\": 1}]", "[{\"op\": \"replace\", \"path\": \"/\", \"value\": 1}]",
                "[{\"op\": \"replace\", \"path\": \"quantity\"}]")) {
            assertThatThrownBy(() -> JsonPatch.parse(SandboxJson.parse(bad))).as(bad).isInstanceOf(JsonPatchException.class);
        }
        assertThatThrownBy(() -> JsonPatch.parse(null)).isInstanceOf(JsonPatchException.class);
    }
}
