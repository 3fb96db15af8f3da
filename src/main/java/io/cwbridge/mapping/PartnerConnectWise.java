package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The mapping API's view of a partner's ConnectWise: look up the record a mapping points at,
 * create a company or catalog item once, and turn ConnectWise's answers into API problems.
 */
@Component
class PartnerConnectWise {

    private static final Logger log = LoggerFactory.getLogger(PartnerConnectWise.class);

    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;

    PartnerConnectWise(PartnerConnectionRepository connections, ConnectWiseClient client) {
        this.connections = connections;
        this.client = client;
    }

    ConnectWiseClient client() {
        return client;
    }

    /** The partner's connection; 409 when there is none, because nothing can be checked or created then. */
    ConnectWiseConnection connection(String partnerId) {
        return connections.find(partnerId).orElseThrow(() -> MappingProblems.noConnection(partnerId));
    }

    /**
     * The record at {@code path}; a 404 from ConnectWise is the caller's mistake, reported on
     * {@code field} of the request ("no such company in ConnectWise").
     */
    JsonNode existing(ConnectWiseConnection c, String path, String field, String noun) {
        try {
            return client.get(c, path, Map.of());
        } catch (ConnectWiseException e) {
            if (e.status() == 404) {
                throw ApiProblems.badRequest(field, "no such " + noun + " in ConnectWise");
            }
            throw MappingProblems.connectWise("read the " + noun, e);
        }
    }

    /**
     * The record with this identifier, created from {@code body} when there is none. Looking first
     * makes a repeated {@code create} map the record the first one made; passing the same condition
     * to the client keeps a retry after an ambiguous failure from creating it twice.
     */
    Outcome findOrCreate(ConnectWiseConnection c, String path, String identifier, Map<String, Object> body, String noun) {
        String condition = "identifier=\"" + escape(identifier) + "\"";
        try {
            List<JsonNode> found = client.getAll(c, path, condition);
            if (!found.isEmpty()) {
                return new Outcome(found.get(0), false);
            }
            try {
                return new Outcome(client.create(c, path, body, condition), true);
            } catch (ConnectWiseException e) {
                // Someone else created the same identifier between our look-up and our create.
                if (e.status() == 400) {
                    List<JsonNode> raced = client.getAll(c, path, condition);
                    if (!raced.isEmpty()) {
                        log.info("{} {} appeared while creating it; mapping the existing one", noun, identifier);
                        return new Outcome(raced.get(0), false);
                    }
                }
                throw e;
            }
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("create the " + noun, e);
        }
    }

    /** A ConnectWise conditions string literal: backslash and quote are escaped with a backslash. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The record, and whether this call created it. */
    record Outcome(JsonNode record, boolean created) {
        long id() {
            return record.path("id").asLong();
        }
    }
}
