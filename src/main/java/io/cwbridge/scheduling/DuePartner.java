package io.cwbridge.scheduling;

/** A partner with work due at a tick: its tasks retried (R31), and the global sync (R30) when {@code globalSync}. */
public record DuePartner(String partnerId, boolean taskAutoSync, boolean globalSync) {}
