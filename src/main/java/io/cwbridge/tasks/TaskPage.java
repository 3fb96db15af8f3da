package io.cwbridge.tasks;

import java.util.List;

/** One page of a partner's tasks, newest first; {@code total} counts every match of the filter. */
public record TaskPage(List<TaskView> items, long total, int limit, int offset) {}
