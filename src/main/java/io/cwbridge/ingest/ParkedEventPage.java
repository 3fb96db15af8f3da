package io.cwbridge.ingest;

import java.util.List;

/** One page of parked events, newest first; {@code total} counts every match of the filter. */
public record ParkedEventPage(List<ParkedEvent> items, long total, int limit, int offset) {}
