package io.cwbridge.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** Real-HTTP helpers shared by the task and parked-event API tests: SPEC 8.1 events and JSON answers. */
public final class ApiEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RestClient http;

    public ApiEvents(int port) {
        this.http = RestClient.builder().baseUrl("http://localhost:" + port + "/api/v1")
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
    }

    /** The SPEC 8.1 example as a valid SALES_ORDER/NEW for {@code partnerId}, with fresh event and subscription ids. */
    public static ObjectNode salesOrder(String partnerId) {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree("""
                    {
                      "eventId": "%s", "partnerId": "%s", "type": "SALES_ORDER", "action": "NEW",
                      "occurredAt": "2024-03-15T14:02:00Z",
                      "subscription": {
                        "id": "%s",
                        "customer": { "id": "65533", "name": "Chairs Unlimited",
                                      "address": { "line1": "1 Main St", "city": "Tampa", "state": "FL", "zip": "33601", "country": "US" } },
                        "product": { "id": "CFQ7TTC0LCHC:0002", "provider": "Microsoft CSP", "providerId": 30,
                                     "name": "Microsoft 365 NCE", "plan": "Microsoft 365 Business Premium",
                                     "mfgPartNumber": "CFQ7TTC0LCHC:0002:P1", "description": "Business Premium, monthly" },
                        "kind": "SAAS", "quantity": 12, "unitPrice": 22.00, "unitCost": 18.70, "currency": "USD",
                        "billingCycle": "MONTHLY", "startDate": "2024-02-14", "endDate": "2025-02-13",
                        "autoRenew": true, "status": "ACTIVE"
                      }
                    }""".formatted(UUID.randomUUID(), partnerId, UUID.randomUUID()));
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ResponseEntity<String> post(String path, String body, Object... vars) {
        RestClient.RequestBodySpec request = http.post().uri(path, vars);
        if (body != null) request.contentType(MediaType.APPLICATION_JSON).body(body);
        return request.retrieve().toEntity(String.class);
    }

    public ResponseEntity<String> get(String path, Object... vars) {
        return http.get().uri(path, vars).retrieve().toEntity(String.class);
    }

    public static JsonNode json(ResponseEntity<String> response) {
        try {
            return MAPPER.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
