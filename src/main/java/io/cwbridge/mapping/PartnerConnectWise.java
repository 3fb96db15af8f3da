package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.ConnectWiseLookup;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
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
    private final ConnectWiseResources resources;
    private final AgreementAdditions additions;

    PartnerConnectWise(PartnerConnectionRepository connections, ConnectWiseResources resources, AgreementAdditions additions) {
        this.connections = connections;
        this.client = resources.client();
        this.resources = resources;
        this.additions = additions;
    }

    /** The typed ConnectWise records. */
    ConnectWiseResources resources() {
        return resources;
    }

    /** The one reader of agreement additions. */
    AgreementAdditions additions() {
        return additions;
    }

    /** The partner's connection; 409 when there is none, because nothing can be checked or created then. */
    ConnectWiseConnection connection(String partnerId) {
        return connections.find(partnerId).orElseThrow(() -> MappingProblems.noConnection(partnerId));
    }

    /** The agreement a request names; 400 on {@code agreementId} when ConnectWise has none. */
    Agreement agreement(ConnectWiseConnection c, long agreementId) {
        return existing(() -> resources.agreement(c, agreementId), "agreementId", "agreement");
    }

    /** The company a request names; 400 on {@code companyId} when ConnectWise has none. */
    Company company(ConnectWiseConnection c, long companyId) {
        return existing(() -> resources.company(c, companyId), "companyId", "company");
    }

    /** The catalog item a request names; 400 on {@code catalogItemId} when ConnectWise has none. */
    CatalogItem catalogItem(ConnectWiseConnection c, long catalogItemId) {
        return existing(() -> resources.catalogItem(c, catalogItemId), "catalogItemId", "catalog item");
    }

    /**
     * The record {@code read} reads; a 404 from ConnectWise is the caller's mistake, reported on
     * {@code field} of the request ("no such company in ConnectWise").
     */
    private static <T> T existing(Supplier<T> read, String field, String noun) {
        try {
            return read.get();
        } catch (ConnectWiseException e) {
            if (e.status() == 404) {
                throw ApiProblems.badRequest(field, "no such " + noun + " in ConnectWise");
            }
            throw MappingProblems.connectWise("read the " + noun, e);
        }
    }

    /**
     * The record with this identifier, created from {@code body} when there is none. Looking first
     * makes a repeated {@code create} map the record the first one made; passing the same look-up
     * to the client keeps a retry after an ambiguous failure from creating it twice. ConnectWise is
     * asked {@code identifier="…"} written as its guide says ({@link ConnectWiseConditions#text}: a
     * string condition is a pattern) and the answer is compared here; without case, as ConnectWise
     * keeps identifiers unique (a company "ACME" is the one for "Acme": creating it would be refused).
     */
    <T> Outcome findOrCreate(ConnectWiseConnection c, String path, String identifier, java.util.Map<String, Object> body, String noun,
                             Class<T> type, ToLongFunction<T> id) {
        ConnectWiseLookup lookup = identifierLookup(identifier);
        try {
            Optional<JsonNode> found = client.find(c, path, lookup);
            if (found.isPresent()) {
                return new Outcome(id.applyAsLong(resources.as(found.get(), type)), false);
            }
            try {
                return new Outcome(id.applyAsLong(resources.as(client.createOnce(c, path, body, lookup), type)), true);
            } catch (ConnectWiseException e) {
                // Someone else created the same identifier between our look-up and our create.
                if (e.status() == 400) {
                    Optional<JsonNode> raced = client.find(c, path, lookup);
                    if (raced.isPresent()) {
                        log.info("{} {} appeared while creating it; mapping the existing one", noun, identifier);
                        return new Outcome(id.applyAsLong(resources.as(raced.get(), type)), false);
                    }
                }
                throw e;
            }
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("create the " + noun, e);
        }
    }

    /** The company or catalog item with this identifier: asked by pattern, compared here (without case). */
    static ConnectWiseLookup identifierLookup(String identifier) {
        return new ConnectWiseLookup("identifier=" + ConnectWiseConditions.text(identifier),
                r -> identifier.equalsIgnoreCase(r.path("identifier").asText(null)));
    }

    /**
     * A value for a ConnectWise conditions string literal, without its quotes, written as the Developer Guide says
     * ({@link ConnectWiseConditions#text}: {@code [} as {@code [[]}; a {@code "}, which cannot be written, as the
     * wildcard {@code *}; backslash is no escape there). It matches at least the records whose field equals
     * {@code value}: callers compare the answers exactly (AutoMatch R1 / R2 do).
     */
    static String escape(String value) {
        String quoted = ConnectWiseConditions.text(value);
        return quoted.substring(1, quoted.length() - 1);
    }

    /** The record's id, and whether this call created it. */
    record Outcome(long id, boolean created) {}
}
