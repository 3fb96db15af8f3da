package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;

/**
 * One record as stored: its JSON exactly as the API answers it, plus what the API does not show.
 * The doc is never changed once stored; edits make a new record.
 *
 * @param parentId         the agreement of an addition, else null
 * @param invoicedThrough  agreements: the last day an invoice has covered (its nextInvoiceDate is the day
 *                         after); adjustments: the last day of the invoice that billed it; else null.
 *                         Additions hold none: theirs is their agreement's (SPEC R27 v2)
 */
record StoredRecord(Resource resource, int id, Integer parentId, ObjectNode doc, LocalDate invoicedThrough) {

    record Key(Resource resource, int id) {}

    Key key() {
        return new Key(resource, id);
    }
}
