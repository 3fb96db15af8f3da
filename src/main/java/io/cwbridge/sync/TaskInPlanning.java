package io.cwbridge.sync;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.SyncRules;
import java.util.List;
import java.util.Map;

/**
 * Variable {@code planning} of route {@code addition-rules}: one event with what the enrichment found
 * for it, the input of the order-type routes.
 *
 * @param taskId     the task being planned; null for a dry run
 * @param event      the task's event
 * @param connection the partner's ConnectWise (its toString masks the keys)
 * @param mapping    the agreement and catalog items the subscription is mapped to, or what is missing
 * @param rules      the partner's addition rules
 * @param knownLines rows of sql/subscription-lines.sql
 * @param persist    false for a dry run: nothing is stored
 * @param readOverride      whether the task may have a person's override (R31) to read and apply
 * @param readCaughtUpLines whether other tasks may have kept R27 catch-up lines for the event's subscriptions
 */
public record TaskInPlanning(Long taskId, SubscriptionEvent event, ConnectWiseConnection connection,
                             MappingResolver.Resolution mapping, SyncRules rules, List<Map<String, Object>> knownLines,
                             boolean persist, boolean readOverride, boolean readCaughtUpLines) {

    /** A customer, product or subscription mapping is missing (R1, R2, R4): the NEEDS_MAPPING branch. */
    public boolean needsMapping() {
        return !mapping.complete();
    }
}
