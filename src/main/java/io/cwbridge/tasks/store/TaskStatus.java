package io.cwbridge.tasks.store;

/**
 * A task's state (SPEC 8.2, R31): PENDING -> SYNCED | FAILED (with a reason) | NEEDS_MAPPING;
 * AWAITING_APPROVAL (task sync MANUAL) -> PENDING when a person approves it; FAILED -> PENDING when
 * a person retries it, or DISMISSED (with the person's reason), which ends it.
 */
public enum TaskStatus { PENDING, NEEDS_MAPPING, AWAITING_APPROVAL, SYNCED, FAILED, DISMISSED }
