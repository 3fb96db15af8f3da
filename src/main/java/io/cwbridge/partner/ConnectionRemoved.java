package io.cwbridge.partner;

/** Answer of {@code DELETE /api/v1/partners/{p}/connection}: what removing the connection did and did not do. */
public record ConnectionRemoved(String partnerId, String message) {

    static final String MESSAGE = "Connection removed; its keys are deleted. The partner's mappings, tasks and logs are kept,"
            + " but nothing syncs: new events for it are refused (and parked) until a connection is saved again.";
}
