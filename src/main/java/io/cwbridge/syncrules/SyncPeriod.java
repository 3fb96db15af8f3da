package io.cwbridge.syncrules;

/** How often automatic sync runs (SPEC §4, R30/R31): daily at 00:00 UTC, or every 5 minutes. */
public enum SyncPeriod { DAILY, EVERY_5_MINUTES }
