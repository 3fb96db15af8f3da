package io.cwbridge.ingest;

import io.cwbridge.api.FreeText;
import jakarta.validation.constraints.Size;

/** Optional body of a discard: why the event is dropped, for the log (free text: line feeds allowed). */
public record ParkedEventDiscardRequest(@FreeText @Size(max = 1000) String reason) {}
