package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Loads a tenant in one go: {@code {"companies":[..],"catalog":[..],"agreements":[{.., "additions":[..],
 * "adjustments":[..]}]}} in the API's shapes, through the same validation as the API, all or nothing.
 * Later records may name earlier ones by identifier (an agreement's {@code "company":{"identifier":"ChairsUnlimited"}}).
 * An agreement's {@code nextInvoiceDate}, read-only in the API, here means "already invoiced through
 * the day before": once its additions and adjustments exist, the agreement is invoiced as the admin
 * invoice call does, so its invoices, recap and next invoice date agree from the start.
 */
final class SandboxSeeder {

    private final RecordStore store;
    private final RecordService records;
    private final Clock clock;

    SandboxSeeder(RecordStore store, RecordService records, Clock clock) {
        this.store = store;
        this.records = records;
        this.clock = clock;
    }

    ObjectNode seed(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SandboxErrors.badRequest("The seed must be an object with companies, catalog and agreements.");
        }
        return store.write(batch -> {
            ObjectNode created = SandboxJson.object();
            ArrayNode companies = created.putArray("companies");
            for (JsonNode company : list(body, "companies")) {
                companies.add(records.create(batch, Resource.COMPANY, null, company).doc());
            }
            ArrayNode catalog = created.putArray("catalog");
            for (JsonNode item : list(body, "catalog")) {
                catalog.add(records.create(batch, Resource.CATALOG, null, item).doc());
            }
            ArrayNode agreements = created.putArray("agreements");
            for (JsonNode agreement : list(body, "agreements")) {
                ObjectNode fields = agreement.isObject() ? ((ObjectNode) agreement).deepCopy() : null;
                JsonNode additions = fields == null ? null : fields.remove("additions");
                JsonNode adjustments = fields == null ? null : fields.remove("adjustments");
                Optional<LocalDate> next = fields == null ? Optional.empty() : nextInvoiceDate(fields.remove("nextInvoiceDate"));
                StoredRecord saved = records.create(batch, Resource.AGREEMENT, null, fields);
                ArrayNode savedAdditions = SandboxJson.NODES.arrayNode();
                for (JsonNode addition : children(additions, "additions")) {
                    savedAdditions.add(records.create(batch, Resource.ADDITION, saved.id(), addition).doc());
                }
                ArrayNode savedAdjustments = SandboxJson.NODES.arrayNode();
                for (JsonNode adjustment : children(adjustments, "adjustments")) {
                    savedAdjustments.add(records.create(batch, Resource.ADJUSTMENT, saved.id(), adjustment).doc());
                }
                boolean invoiced = next.isPresent()
                        && !next.get().equals(new AgreementBilling(saved).nextInvoiceDate().orElse(null));
                if (invoiced) {
                    InvoiceLedger.invoice(batch, saved.id(), next.get().minusDays(1), clock.instant());
                }
                ObjectNode out = batch.find(Resource.AGREEMENT, saved.id()).orElseThrow().doc().deepCopy();
                out.set("additions", savedAdditions);
                out.set("adjustments", savedAdjustments);
                agreements.add(out);
            }
            return created;
        });
    }

    private static Optional<LocalDate> nextInvoiceDate(JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(SandboxDates.day(value.asText()).orElseThrow(() -> SandboxErrors.badRequest(
                "nextInvoiceDate must be a date such as 2024-03-01.")));
    }

    private static Iterable<JsonNode> children(JsonNode value, String field) {
        ObjectNode holder = SandboxJson.object();
        holder.set(field, value);
        return list(holder, field);
    }

    private static Iterable<JsonNode> list(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return SandboxJson.NODES.arrayNode();
        }
        if (!value.isArray()) {
            throw SandboxErrors.badRequest(field + " must be an array.");
        }
        return value;
    }
}
