package io.cwbridge.partner;

import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tests a partner's ConnectWise connection (SPEC 7): {@code system/info} proves the credentials,
 * then one read per resource the bundle needs shows which Inquire permissions the API member lacks
 * (ConnectWise answers 403 for those). Add/Edit/Delete levels cannot be seen without writing.
 */
@Component
public class ConnectionTester {

    static final String FAILURE_MESSAGE =
            "Could not connect to ConnectWise with these settings. Check the site URL, company id, public and private key, and client id.";

    private static final Logger log = LoggerFactory.getLogger(ConnectionTester.class);

    /** Resource read → the security-role permission it needs (names as in ConnectWise's role setup). */
    private static final Map<String, String> INQUIRE_CHECKS = new java.util.LinkedHashMap<>(Map.of(
            "company/companies/count", "Companies / Company Maintenance: Inquire Level = All",
            "finance/agreements/count", "Finance / Agreements: Inquire Level = All",
            "procurement/catalog/count", "Procurement / Product Catalog: Inquire Level = All"));

    private final ConnectWiseClient client;

    public ConnectionTester(ConnectWiseClient client) {
        this.client = client;
    }

    public ConnectionTestResult test(ConnectWiseConnection connection) {
        String version;
        try {
            version = client.get(connection, "system/info", Map.of()).path("version").asText("unknown");
        } catch (ConnectWiseException e) {
            // Status only: the reason is the same generic message for every credential problem.
            log.info("Connection test to {} failed with status {}", connection.apiUrl(), e.status());
            return new ConnectionTestResult(false, FAILURE_MESSAGE, List.of());
        } catch (RuntimeException e) {
            log.info("Connection test to {} failed: {}", connection.apiUrl(), e.getClass().getSimpleName());
            return new ConnectionTestResult(false, FAILURE_MESSAGE, List.of());
        }
        List<String> missing = new ArrayList<>();
        INQUIRE_CHECKS.forEach((path, permission) -> {
            try {
                client.get(connection, path, Map.of());
            } catch (ConnectWiseException e) {
                if (e.status() == 403 || e.status() == 401) {
                    missing.add(permission);
                }
            }
        });
        if (!missing.isEmpty()) {
            return new ConnectionTestResult(false,
                    "Connected to ConnectWise " + version + ", but the API member lacks permissions the bundle needs.", missing);
        }
        return new ConnectionTestResult(true, "Connected to ConnectWise " + version + ".", List.of());
    }
}
