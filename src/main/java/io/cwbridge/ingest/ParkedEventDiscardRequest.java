package io.cwbridge.ingest;

import jakarta.validation.constraints.Size;

/** Optional body of a discard: why the event is dropped, for the log. */
public record ParkedEventDiscardRequest(@Size(max = 1000) String reason) {}
