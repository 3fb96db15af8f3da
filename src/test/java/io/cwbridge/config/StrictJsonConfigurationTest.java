package io.cwbridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.api.FreeText;
import io.cwbridge.api.JsonProblems;
import io.cwbridge.api.RefusedTextException;
import org.junit.jupiter.api.Test;

class StrictJsonConfigurationTest {

    record Body(Long companyId, String privateKey, Boolean create, @FreeText String reason) {}

    private final ObjectMapper strict = StrictJsonConfiguration.newStrictMapper();
    private final ObjectMapper requests = StrictJsonConfiguration.newStrictMapper().registerModule(StrictJsonConfiguration.textRules());

    private FieldProblem refusal(String json) {
        try {
            strict.readTree(json);
        } catch (JsonProcessingException e) {
            return JsonProblems.of(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void oneValueNoDuplicateKeys() {
        assertThat(refusal("{\"a\":1} x").message()).contains("not valid JSON");
        assertThat(refusal("{\"a\":1}{\"a\":2}")).isEqualTo(new FieldProblem("$",
                "is not valid JSON: there is more after the first value (one JSON value per body; an array is a batch)"));
        assertThat(refusal("{\"s\":{\"quantity\":10,\"quantity\":1000}}"))
                .isEqualTo(new FieldProblem("s.quantity", "is given twice (duplicate key): is not valid JSON"));
        assertThat(refusal("[{\"a\":1},{\"b\":{\"c\":tru}}]")).isEqualTo(new FieldProblem("$", "is not valid JSON"));
    }

    @Test
    void noCoercion() throws Exception {
        assertThat(strict.readValue("{\"companyId\":1,\"privateKey\":\"k\",\"create\":true}", Body.class))
                .isEqualTo(new Body(1L, "k", true, null));
        for (String json : new String[] {"{\"companyId\":1.5}", "{\"companyId\":1.0}", "{\"companyId\":1e3}", "{\"companyId\":\"1\"}",
                "{\"privateKey\":123}", "{\"privateKey\":true}", "{\"create\":\"true\"}", "{\"create\":1}"}) {
            assertThatThrownBy(() -> strict.readValue(json, Body.class)).as(json).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void requestBodiesRefuseControlAndBidiCharacters() throws Exception {
        assertThatThrownBy(() -> requests.readValue("{\"privateKey\":\"a\\u0000b\"}", Body.class)).isInstanceOf(RefusedTextException.class)
                .satisfies(e -> assertThat(((RefusedTextException) e).getPath().get(0).getFieldName()).isEqualTo("privateKey"));
        assertThatThrownBy(() -> requests.readValue("{\"privateKey\":\"a\\u202eb\"}", Body.class)).isInstanceOf(RefusedTextException.class);
        assertThatThrownBy(() -> requests.readValue("{\"privateKey\":\"a\\nb\"}", Body.class)).isInstanceOf(RefusedTextException.class);
        assertThat(requests.readValue("{\"reason\":\"line one\\nline two\"}", Body.class).reason()).isEqualTo("line one\nline two");
        assertThatThrownBy(() -> requests.readValue("{\"reason\":\"tab\\there\"}", Body.class)).isInstanceOf(RefusedTextException.class);
        assertThat(requests.readValue("{\"a\":[{\"name\":\"x\\u0001\"}]}", JsonNode.class).toString())
                .as("a tree's endpoint names other control characters itself").contains("x\\u0001");
        assertThatThrownBy(() -> requests.readValue("{\"a\":[{\"name\":\"x\\u0000\"}]}", JsonNode.class))
                .isInstanceOf(RefusedTextException.class)
                .satisfies(e -> assertThat(((RefusedTextException) e).getPath()).hasSize(3));
        assertThatThrownBy(() -> requests.readValue("{\"a\\u202e\":1}", JsonNode.class)).isInstanceOf(RefusedTextException.class);
        // The application's own mapper (ConnectWise answers, stored rows) keeps such text.
        assertThat(strict.readTree("{\"name\":\"a\\tb\"}").path("name").asText()).isEqualTo("a\tb");
    }
}
