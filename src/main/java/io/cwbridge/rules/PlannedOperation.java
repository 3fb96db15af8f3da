package io.cwbridge.rules;

import java.util.Objects;

/**
 * One addition operation of a plan: CREATE, UPDATE (only the changed fields) or DELETE. Mirrors
 * {@code io.cwbridge.connectwise.AdditionOperation} (kind, agreementId, additionId, fields) and adds
 * the subscription line it concerns and a human-readable reason naming the rule.
 *
 * @param line       the subscription line (for CREATE: the line to record the new addition id under)
 * @param additionId the addition to update or delete; null for CREATE
 * @param fields     null for DELETE
 * @param reason     e.g. "R12 increase +2 effective 2024-03-15"
 * @param prorated   R17a: what the line bills per unit for its first, partial period; null when it
 *                   starts on a period's first day or the operation does not set its start or price
 */
public record PlannedOperation(Kind kind, LineKey line, long agreementId, Long additionId, LineFields fields,
        String reason, ProratedAmounts prorated) {

    public PlannedOperation(Kind kind, LineKey line, long agreementId, Long additionId, LineFields fields, String reason) {
        this(kind, line, agreementId, additionId, fields, reason, null);
    }

    public enum Kind { CREATE, UPDATE, DELETE }

    public PlannedOperation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(reason, "reason");
        if (kind == Kind.CREATE && additionId != null) {
            throw new IllegalArgumentException("CREATE has no addition id");
        }
        if (kind != Kind.CREATE && additionId == null) {
            throw new IllegalArgumentException(kind + " of " + line + " needs the addition id");
        }
        if (kind == Kind.DELETE && fields != null) {
            throw new IllegalArgumentException("DELETE has no fields");
        }
        if (kind != Kind.DELETE && (fields == null || fields.isEmpty())) {
            throw new IllegalArgumentException(kind + " of " + line + " needs fields");
        }
    }

    @Override
    public String toString() {
        return kind + " " + line + (additionId == null ? "" : " (#" + additionId + ")") + ": " + reason;
    }
}
