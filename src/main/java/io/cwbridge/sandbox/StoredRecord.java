package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;

/**
 * One record as stored: its JSON exactly as the API answers it, plus what the API does not show.
 * The doc is never changed once stored; edits make a new record.
 *
 * @param parentId         the agreement of an addition, else null
 * @param invoicedThrough  the last day an invoice has covered (additions only), else null
 */
record StoredRecord(Resource resource, int id, Integer parentId, ObjectNode doc, LocalDate invoicedThrough) {

    record Key(Resource resource, int id) {}

    Key key() {
        return new Key(resource, id);
    }

    boolean isInvoiced() {
        return invoicedThrough != null;
    }
}
