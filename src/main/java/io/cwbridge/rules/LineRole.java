package io.cwbridge.rules;

/** What an addition line stands for in a subscription's set of lines. */
public enum LineRole {
    /** The subscription's addition: its standing licence count (R25; changes only by R11/R18). */
    BASE(true),
    /** A licence change, active from its effective date to the end of that month (R12–R16). */
    DELTA(true),
    /** The −Q line of a cancellation per cancellation date (R21). */
    CANCELLATION(true),
    /** The −Q line of the old product of a full upgrade (R19). */
    UPGRADE(true),
    /** An overuse / IaaS usage charge, quantity 1 (R24). */
    USAGE(false),
    /** A one-time setup amount (R25). */
    SETUP(false);

    private final boolean licences;

    LineRole(boolean licences) {
        this.licences = licences;
    }

    /** Whether the line's quantity counts as licences for R10 (usage and setup lines are amounts). */
    public boolean countsLicences() {
        return licences;
    }
}
