package io.cwbridge.tasks;

/** A task's state (SPEC 8.2): PENDING -> SYNCED | FAILED (with a reason) | NEEDS_MAPPING. */
public enum TaskStatus { PENDING, NEEDS_MAPPING, SYNCED, FAILED }
