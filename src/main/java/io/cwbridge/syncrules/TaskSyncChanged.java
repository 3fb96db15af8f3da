package io.cwbridge.syncrules;

/**
 * A partner's task sync rule (R31) was saved with another value than before: what waited under the old mode is
 * handed to the new one (the sync package listens: tasks awaiting approval are let go when MANUAL ends; with
 * IMMEDIATE, what waited for a timer runs at once).
 */
public record TaskSyncChanged(String partnerId, TaskSync from, TaskSync to) {}
