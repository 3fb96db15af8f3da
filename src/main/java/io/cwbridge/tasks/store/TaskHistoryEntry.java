package io.cwbridge.tasks.store;

import java.time.OffsetDateTime;

/**
 * One state change of a task: {@code by} is {@code system} (the sync engine), {@code api} (a request
 * without a login) or the name of the logged-in person; {@code from} is null for the task's creation.
 * {@code what}: a change other than of the status (an override set or cleared, issue 15; then
 * {@code from} = {@code to}), null for a status change.
 */
public record TaskHistoryEntry(OffsetDateTime at, String by, String from, String to, String reason, String what) {}
