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
 * then one probe per permission level of seed 001's table shows which ones the API member lacks.
 *
 * <p>ConnectWise offers an API member no read of its own role: {@code system/securityroles/{id}/settings}
 * needs the System / Security Roles permission, which seed 001 does not ask for, and the member's own
 * id is not known from its keys. So each level is probed, and a 403 means the level is missing:
 * <ul>
 * <li>Inquire: a {@code count} of the resource, a harmless read.</li>
 * <li>Add, Edit, Delete: a request that can never write anything, as it names record id 0 (ConnectWise
 * ids start at 1) or sends an empty body that lacks the required fields. With the level granted,
 * ConnectWise refuses it with 400 (validation) or 404 (no such record); without it, with 403.
 * Assumption: ConnectWise checks the security role before the record or the body, as its 403 for a
 * missing Inquire level comes before any lookup too; if it validated first, a missing write level
 * would go unseen here (never the reverse).</li>
 * </ul>
 * Every probe is sent once (no retry of the writes), and nothing of the answers is echoed.
 */
@Component
public class ConnectionTester {

    static final String FAILURE_MESSAGE =
            "Could not connect to ConnectWise with these settings. Check the site URL, company id, public and private key, and client id.";

    private static final Logger log = LoggerFactory.getLogger(ConnectionTester.class);

    /** One permission level of seed 001's table and the call that shows whether the member has it. */
    record Check(String permission, String method, String path) {}

    /** Seed 001's permission table, in its order; names as on ConnectWise's security role screen. */
    static final List<Check> CHECKS = List.of(
            new Check("Companies / Company Maintenance: Inquire Level = All", "GET", "company/companies/count"),
            new Check("Companies / Contacts: Inquire Level = All", "GET", "company/contacts/count"),
            new Check("Finance / Agreements: Inquire Level = All", "GET", "finance/agreements/count"),
            new Check("Finance / Agreements: Add Level = All", "POST", "finance/agreements/0/additions"),
            new Check("Finance / Agreements: Edit Level = All", "PATCH", "finance/agreements/0/additions/0"),
            new Check("Finance / Agreements: Delete Level = All", "DELETE", "finance/agreements/0/additions/0"),
            new Check("Finance / Invoicing: Inquire Level = All", "GET", "finance/invoices/count"),
            new Check("Procurement / Product Catalog: Inquire Level = All", "GET", "procurement/catalog/count"),
            new Check("Procurement / Product Catalog: Add Level = All", "POST", "procurement/catalog"),
            new Check("System / Table Setup: Inquire Level = All", "GET", "finance/agreements/types/count"));

    /** The permission levels of {@link #CHECKS}, in seed 001's order: what the console lists next to a test's result. */
    public static List<String> permissions() {
        return CHECKS.stream().map(Check::permission).toList();
    }

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
        List<String> unchecked = new ArrayList<>();
        for (Check check : CHECKS) {
            switch (probe(connection, check)) {
                case MISSING -> missing.add(check.permission());
                case UNKNOWN -> unchecked.add(check.permission());
                case GRANTED -> { }
            }
        }
        if (!missing.isEmpty()) {
            return new ConnectionTestResult(false, "Connected to ConnectWise " + version
                    + ", but the API member's security role lacks " + missing.size() + " permission level(s) the bundle needs"
                    + (unchecked.isEmpty() ? "." : ", and " + unchecked.size() + " could not be checked: ConnectWise answered with an"
                    + " error. Test again later."), missing, unchecked);
        }
        if (!unchecked.isEmpty()) {
            // A failed probe shows nothing about the level: never a green light on it.
            return new ConnectionTestResult(false, "Connected to ConnectWise " + version + ", but " + unchecked.size()
                    + " permission level(s) could not be checked: ConnectWise answered with an error. Test again later.", missing, unchecked);
        }
        return new ConnectionTestResult(true, "Connected to ConnectWise " + version
                + "; the API member has every permission level the bundle needs.", List.of());
    }

    /** What a probe showed of its permission level. */
    enum Probe { GRANTED, MISSING, UNKNOWN }

    /**
     * What ConnectWise's answer to the probe shows: 401/403 the level is missing; a read answered, or a write refused as
     * invalid (400, 404, 409, 422: it got past the security role), the level is granted; anything else (5xx, 429, no
     * answer) shows nothing.
     */
    private Probe probe(ConnectWiseConnection connection, Check check) {
        try {
            switch (check.method()) {
                case "GET" -> client.get(connection, check.path(), Map.of());
                // An empty object lacks every required field; null "existing": never repeated.
                case "POST" -> client.create(connection, check.path(), Map.of(), null);
                case "PATCH" -> client.patch(connection, check.path(), List.of());
                case "DELETE" -> client.delete(connection, check.path());
                default -> throw new IllegalStateException(check.method());
            }
            if (!check.method().equals("GET")) {
                // Cannot happen with id 0 or an empty body; say so loudly if ConnectWise ever accepts one.
                log.warn("Connection test probe {} {} was accepted by ConnectWise", check.method(), check.path());
            }
            return Probe.GRANTED;
        } catch (ConnectWiseException e) {
            log.debug("Connection test probe {} {} -> {}", check.method(), check.path(), e.status());
            int status = e.status();
            if (status == 403 || status == 401) return Probe.MISSING;
            boolean refusedAsInvalid = status == 400 || status == 404 || status == 409 || status == 422;
            return !check.method().equals("GET") && refusedAsInvalid ? Probe.GRANTED : Probe.UNKNOWN;
        } catch (RuntimeException e) {
            log.info("Connection test probe {} {} got no answer: {}", check.method(), check.path(), e.getClass().getSimpleName());
            return Probe.UNKNOWN;
        }
    }
}
