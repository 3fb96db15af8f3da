package io.cwbridge.access;

/** The two kinds of console user (issue 16, seed 002: each partner stays inside its own tenant). */
public enum ConsoleRole {
    /** Every partner, Hawtio and Jolokia. */
    OPERATOR,
    /** One partner: sees and changes only that partner's data. */
    PARTNER
}
