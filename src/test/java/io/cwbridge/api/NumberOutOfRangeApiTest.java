package io.cwbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * A JSON number beyond the target's int or long is valid JSON: Jackson's parser refuses it (InputCoercionException,
 * not a mapping exception), and the answer names the field and the bounds, never "$ is not valid JSON" nor the value.
 */
class NumberOutOfRangeApiTest extends BundleTestBase {

    private static final String TOO_BIG = "99999999999999999999";
    private static final String LONG_RANGE = "must be an integer between -9223372036854775808 and 9223372036854775807";
    private static final String INT_RANGE = "must be an integer between -2147483648 and 2147483647";

    @LocalServerPort int port;

    private final ObjectMapper mapper = new ObjectMapper();
    private RestClient api;
    private String partner;

    @BeforeEach
    void partner() {
        api = Tenant.lenient("http://localhost:" + port + "/api/v1/partners");
        partner = Tenant.connected("range", port).partner();
    }

    @Test
    void aLongBeyondItsRangeNamesTheFieldAndTheBounds() throws Exception {
        for (String number : new String[] {TOO_BIG, "-" + TOO_BIG, "9300000000000000000"}) {
            ResponseEntity<String> answer = put("/{p}/customers/{c}/mapping", "{\"companyId\":" + number + "}", "65533");
            assertProblem(answer, "companyId", LONG_RANGE);
            assertThat(answer.getBody()).doesNotContain(number.replace("-", ""));
        }
        // The wrong JSON type still answers as before.
        JsonNode wrongType = mapper.readTree(put("/{p}/customers/{c}/mapping", "{\"companyId\":\"x\"}", "65533").getBody());
        assertThat(wrongType.path("errors").path(0).path("field").asText()).isEqualTo("companyId");
    }

    @Test
    void anIntBeyondItsRangeNamesTheFieldAndTheBounds() throws Exception {
        String rule = """
                {"name":"NCE","priority":%s,"conditions":[],"category":"Cloud","subcategory":"M365","type":"Subscription"}""";
        ResponseEntity<String> answer = api.post().uri("/{p}/product-default-rules", partner).contentType(MediaType.APPLICATION_JSON)
                .body(rule.formatted("3000000000")).retrieve().toEntity(String.class);
        assertProblem(answer, "priority", INT_RANGE);
        assertThat(answer.getBody()).doesNotContain("3000000000");
    }

    private ResponseEntity<String> put(String path, String body, String id) {
        return api.put().uri(path, partner, id).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    private void assertProblem(ResponseEntity<String> answer, String field, String message) throws Exception {
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        JsonNode json = mapper.readTree(answer.getBody());
        assertThat(json.path("errors")).hasSize(1);
        assertThat(json.path("errors").path(0).path("field").asText()).isEqualTo(field);
        assertThat(json.path("errors").path(0).path("message").asText()).isEqualTo(message);
    }
}
